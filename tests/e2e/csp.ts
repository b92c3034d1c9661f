// Content-Security-Policy violations reported by the pages of a tab, across navigations.
import type { Page } from 'playwright-core';

export interface CspWatch {
  /** Every violation so far, as "directive blocked-uri at source:line:column". */
  violations(): Promise<string[]>;
}

type Report = (text: string) => void;

/** Start before page.goto(): each document reports its `securitypolicyviolation` events to the test. */
export async function watchCsp(page: Page): Promise<CspWatch> {
  const seen: string[] = [];
  await page.exposeFunction('__qiaoCspViolation', (text: string) => seen.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __qiaoCspViolation: Report }).__qiaoCspViolation;
      report(`${event.effectiveDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`);
    });
  });
  return {
    async violations() {
      // Reports cross to the test asynchronously: give the last ones a moment.
      await new Promise((resolve) => setTimeout(resolve, 100));
      return [...seen];
    },
  };
}
