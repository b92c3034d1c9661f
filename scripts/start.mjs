// npm start: build whatever web app is not built yet, then run the server (which starts the
// embedded database itself when MONGODB_URI is unset). Signals are passed on for a clean stop.
import { spawn } from 'node:child_process';
import { buildWebApps } from './build.mjs';
import { root } from './lib.mjs';

await buildWebApps({ forceAll: false });

const server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
