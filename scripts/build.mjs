// Builds the web apps that are missing or older than their sources: the admin console and the
// mini-program (weapp and H5). `node scripts/build.mjs --force` rebuilds everything.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { newestMtime, root, runOrExit } from './lib.mjs';

const force = process.argv.includes('--force');
const shared = ['shared/src', 'shared/package.json'];

const targets = [
  {
    name: 'admin console',
    output: 'admin/dist/index.html',
    sources: ['admin/src', 'admin/index.html', 'admin/vite.config.ts', 'admin/package.json', ...shared],
    command: ['npm', ['run', 'build', '-w', '@qiao/admin']],
  },
  {
    name: 'mini-program (weapp)',
    output: 'miniprogram/dist/weapp/app.json',
    sources: ['miniprogram/src', 'miniprogram/config', 'miniprogram/babel.config.js', 'miniprogram/package.json', ...shared],
    command: ['npm', ['run', 'build:weapp', '-w', '@qiao/miniprogram']],
  },
  {
    name: 'mini-program (H5)',
    output: 'miniprogram/dist/h5/index.html',
    sources: ['miniprogram/src', 'miniprogram/config', 'miniprogram/babel.config.js', 'miniprogram/package.json', ...shared],
    command: ['npm', ['run', 'build:h5', '-w', '@qiao/miniprogram']],
  },
];

export async function buildWebApps({ forceAll = force } = {}) {
  for (const target of targets) {
    const output = path.join(root, target.output);
    const fresh = existsSync(output) && statSync(output).mtimeMs >= newestMtime(target.sources);
    if (fresh && !forceAll) {
      console.log(`✓ ${target.name} is up to date`);
      continue;
    }
    console.log(`… building ${target.name}`);
    const started = Date.now();
    await runOrExit(...target.command);
    console.log(`✓ built ${target.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildWebApps();
}
