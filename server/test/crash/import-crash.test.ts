// kill -9 of the real server in the middle of an import: after a restart, the run is taken over
// (here at once, as the recovery sweep does when the dead run's lease has run out), the batch it
// was writing is rolled back and written again, and the import ends with every record once.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/db/embedded.js';
import { Contact } from '../../src/modules/customers/contact.model.js';
import { countImported } from '../../src/modules/customers/import.writes.js';
import { Import } from '../../src/modules/imports/import.model.js';
import { runImport } from '../../src/modules/imports/import.runner.js';
import { staffLogin } from '../helpers/factories.js';
import { useServerProcess } from '../helpers/process.js';
import { ADMIN_PASSWORD, type TestServer } from '../helpers/server.js';
import { importFile, upload, type Row } from '../imports/helpers.js';

const proc = useServerProcess();
const CUSTOMERS = 400;
const CHARS = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月星云松竹梅兰菊桃李杏柳';
const tradeName = (i: number) => [0, 1, 2, 3].map((k) => CHARS[Math.floor(((i * 7_919 + 31) % CHARS.length ** 4) / CHARS.length ** k) % CHARS.length]).join('');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an import cut off by kill -9', () => {
  it('resumes after the restart and ends with every customer, contact and device once', { timeout: 240_000 }, async () => {
    const rows: Row[] = [];
    for (let i = 0; i < CUSTOMERS; i += 1) {
      for (let j = 0; j < 5; j += 1) {
        const n = i * 5 + j;
        rows.push({ name: `${tradeName(i)}船舶有限公司`, ...(j === 0 ? { region: '福建省厦门市' } : {}), contactName: `断点${n}`, contactPhone: `135${String(n).padStart(8, '0')}`, model: 'LS-9', productLine: '冷柜', serialNumber: `CRASH${n}`, installedAt: '2025-03-01', warrantyEndsAt: '2027-03-01' });
      }
    }
    const server = { url: proc.server!.url } as TestServer;
    const token = await staffLogin(server, 'admin', ADMIN_PASSWORD);
    const started = await upload(server, token, await importFile(rows));
    expect(started.status).toBe(202);
    const id = started.body.id as string;

    // Killed once a batch is settled: the next one is being written.
    for (let waited = 0; ; waited += 100) {
      const doc = await Import.findById(id).lean();
      if ((doc?.doneGroups ?? 0) >= 100) break;
      if (waited > 150_000) throw new Error('the import did not start');
      await sleep(100);
    }
    proc.server!.child.kill('SIGKILL');
    await sleep(300);
    const cut = await Import.findById(id).lean();
    expect(cut!.status).toBe('importing');
    expect(cut!.doneGroups).toBeLessThan(CUSTOMERS);

    await proc.restart();
    // The dead run's lease is over (as the sweep finds it after LEASE_MS): the next run takes over.
    await Import.updateOne({ _id: id }, { $set: { leaseUntil: new Date(Date.now() - 1) } });
    await runImport(id, { dataDir: path.resolve(repoRoot, '.data') });
    // Should the restarted server's own sweep have taken it over first, that run finishes it.
    for (let waited = 0; (await Import.findById(id).lean())?.status !== 'done'; waited += 500) {
      if (waited > 120_000) throw new Error('the import was not finished after the restart');
      await sleep(500);
    }

    const after = await Import.findById(id).lean();
    const all = { customers: CUSTOMERS, contacts: CUSTOMERS * 5, devices: CUSTOMERS * 5 };
    expect(after).toMatchObject({ status: 'done', doneRows: CUSTOMERS * 5 });
    expect(after!.counts).toEqual({ ...all, attachedCustomers: 0, rejectedRows: 0 });
    expect(await countImported(id)).toEqual(all);
    expect(await Contact.countDocuments({ phone: { $in: ['13500000500', '13500000999', '13500001999'] } })).toBe(3);
  });
});
