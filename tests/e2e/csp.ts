// Content-Security-Policy violations reported by the page: the console and the DOM event.
import type { Page } from 'playwright-core';

export interface CspWatch {
  /** Every violation seen so far, as "directive blocked-uri" or the console text. */
  violations(): Promise<string[]>;
}

/** Start before page.goto(): records `securitypolicyviolation` events and CSP console errors. */
export async function watchCsp(page: Page): Promise<CspWatch> {
  const console: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`));
  });
  return {
    async violations() {
      const fromPage = await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []).catch(() => []);
      return [...fromPage, ...console];
    },
  };
}
