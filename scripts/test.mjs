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
  // A test file that cannot even load has no failed test of its own: count it as one, so the
  // closing line never says "0 failed" for a run that failed.
  const brokenFiles = (summary.testResults ?? []).filter((file) => file.status === 'failed' && (file.assertionResults ?? []).length === 0).length;
  const failed = summary.numFailedTests + brokenFiles;
  console.log(`\nTests: ${summary.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}
process.exit(code);
