// The mini-program's WeChat build (npm test builds it when stale): every page in the source is
// listed in app.json and compiled.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../miniprogram');
const dist = path.join(root, 'dist/weapp');

/** Source pages: every folder under src/pages holding a page component and its config. */
function sourcePages(dir = path.join(root, 'src/pages'), prefix = 'pages'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourcePages(full, `${prefix}/${name}`);
    const match = /^(.+)\.config\.ts$/.exec(name);
    return match ? [`${prefix}/${match[1]}`] : [];
  });
}

describe('weapp build', () => {
  const appJson = JSON.parse(readFileSync(path.join(dist, 'app.json'), 'utf8')) as { pages: string[]; subPackages?: Array<{ root: string; pages: string[] }> };
  const listed = [...appJson.pages, ...(appJson.subPackages ?? []).flatMap((pkg) => pkg.pages.map((page) => `${pkg.root}/${page}`))];

  it('lists every source page in app.json', () => {
    const pages = sourcePages();
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) expect(listed, page).toContain(page);
  });

  it('compiles every listed page to .js, .json and .wxml', () => {
    for (const page of listed) {
      for (const ext of ['js', 'json', 'wxml']) expect(existsSync(path.join(dist, `${page}.${ext}`)), `${page}.${ext}`).toBe(true);
    }
  });
});
