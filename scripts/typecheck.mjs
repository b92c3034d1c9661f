// Type-checks every workspace (TypeScript strict, no emit).
import { runOrExit } from './lib.mjs';

export const workspaces = ['shared', 'server', 'admin', 'miniprogram', 'tests'];

export async function typecheck() {
  for (const workspace of workspaces) {
    await runOrExit('npx', ['tsc', '-p', `${workspace}/tsconfig.json`]);
  }
  console.log(`✓ type check passed (${workspaces.join(', ')})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await typecheck();
}
