// What the tests need beyond npm packages: Go (to build the embedded FerretDB) and Chromium with
// Chinese fonts (browser tests). On Debian as root the missing OS packages are installed; anywhere
// else the message says exactly what to install.
import { existsSync } from 'node:fs';
import { has, run } from './lib.mjs';

const isRoot = process.getuid?.() === 0;
const isDebian = existsSync('/etc/debian_version');

function goFound() {
  return has('go') || existsSync('/usr/local/go/bin/go') || existsSync('/usr/lib/go/bin/go');
}

export async function ensurePrerequisites({ browser = true } = {}) {
  const missing = [];
  if (!goFound() && !process.env.MONGODB_URI) {
    missing.push('Go 1.22+ (builds the embedded FerretDB): https://go.dev/doc/install — or set MONGODB_URI to a MongoDB server');
  }

  if (browser) {
    const packages = [];
    if (!existsSync('/usr/bin/chromium')) packages.push('chromium');
    if (!existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')) packages.push('fonts-noto-cjk');
    if (packages.length > 0) {
      if (isRoot && isDebian) {
        console.log(`… installing ${packages.join(', ')} from Debian's packages`);
        const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
        if ((await run('apt-get', ['update', '-qq'], { env })) !== 0 ||
            (await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env })) !== 0) {
          missing.push(`Debian packages ${packages.join(' ')} (apt-get install failed)`);
        }
      } else {
        missing.push(`Chromium at /usr/bin/chromium and CJK fonts (Debian: sudo apt-get install -y ${packages.join(' ')})`);
      }
    }
  }

  if (missing.length > 0) {
    console.error('The tests need:\n' + missing.map((item) => `  - ${item}`).join('\n'));
    process.exit(1);
  }
}
