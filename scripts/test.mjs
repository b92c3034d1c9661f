// npm test: every test — type checks, unit, integration on the real database, browser tests.
// Installs what a fresh Debian machine lacks (see prerequisites.mjs), builds the web apps the
// browser tests drive, then runs vitest over all workspaces and prints one summary line.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildWebApps } from './build.mjs';
import { ensurePrerequisites } from './prerequisites.mjs';
import { root, run } from './lib.mjs';
import { typecheck } from './typecheck.mjs';

await ensurePrerequisites();
await buildWebApps({ forceAll: false });

console.log('… type checking every workspace');
await typecheck();

const results = path.join(root, '.test-results.json');
rmSync(results, { force: true });
const code = await run('npx', [
  'vitest', 'run',
  '--reporter=default', '--reporter=json', `--outputFile.json=${results}`,
  ...process.argv.slice(2),
]);

if (existsSync(results)) {
  const summary = JSON.parse(readFileSync(results, 'utf8'));
  const skipped = summary.numPendingTests + summary.numTodoTests;
  console.log(`\nTests: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
}
process.exit(code);
