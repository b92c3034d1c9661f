// A run taken over after a crash: the state a killed process leaves — some batches settled, the
// next one half written, nothing after it — is finished by the next run without writing anything
// twice, the half-written batch rolled back and written again.
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SearchTerm } from '../../src/lib/search.js';
import { Contact } from '../../src/modules/customers/contact.model.js';
import { countImported, removeImportedRecords } from '../../src/modules/customers/import.writes.js';
import { ProductArchive } from '../../src/modules/customers/product-archive.model.js';
import { importFilePath } from '../../src/modules/imports/import.files.js';
import { Import } from '../../src/modules/imports/import.model.js';
import { derivedId, GROUPS_PER_BATCH, runImport } from '../../src/modules/imports/import.runner.js';
import { adminToken } from '../helpers/factories.js';
import { useTestServer, type TestServer } from '../helpers/server.js';
import { excelRow, finished, importFile, upload, type Row } from './helpers.js';

let server: TestServer;
useTestServer((started) => void (server = started));

const CHARS = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月星云松竹梅兰菊桃李杏柳';
const tradeName = (i: number) => [0, 1, 2, 3].map((k) => CHARS[Math.floor(((i * 7_919 + 29) % CHARS.length ** 4) / CHARS.length ** k) % CHARS.length]).join('');
const CUSTOMERS = 2 * GROUPS_PER_BATCH;

describe('a run taken over', () => {
  it('finishes the import from where it stopped and creates nothing twice', async () => {
    const admin = await adminToken(server);
    const rows: Row[] = [];
    for (let i = 0; i < CUSTOMERS; i += 1) {
      for (let j = 0; j < 5; j += 1) {
        const n = i * 5 + j;
        rows.push({
          name: `${tradeName(i)}重工有限公司`,
          ...(j === 0 ? { region: '江苏省南京市' } : {}),
          contactName: `接续${n}`,
          contactPhone: `136${String(n).padStart(8, '0')}`,
          model: 'RSJ-200',
          productLine: '热水器',
          serialNumber: `RES${n}`,
          installedAt: '2025-01-01',
          warrantyEndsAt: '2028-01-01',
        });
      }
    }
    const bytes = await importFile(rows);
    const response = await upload(server, admin, bytes);
    expect(response.status).toBe(202);
    const id = response.body.id as string;
    const all = { customers: CUSTOMERS, contacts: CUSTOMERS * 5, devices: CUSTOMERS * 5 };
    expect((await finished(server, admin, id)).counts).toEqual({ ...all, attachedCustomers: 0, rejectedRows: 0 });

    // The state a crash leaves: the first batch settled, the second half written (the last half
    // of its customers missing, one customer without two contacts and a device), progress at 1.
    const groupIds = (g: number) => ({
      customer: derivedId(id, 'customer', excelRow(g * 5)),
      contacts: [0, 1, 2, 3, 4].map((j) => derivedId(id, 'contact', excelRow(g * 5 + j))),
      devices: [0, 1, 2, 3, 4].map((j) => derivedId(id, 'device', excelRow(g * 5 + j))),
    });
    const missing = Array.from({ length: GROUPS_PER_BATCH / 2 }, (_, k) => groupIds(GROUPS_PER_BATCH * 1.5 + k));
    await removeImportedRecords({ customers: missing.map((g) => g.customer), contacts: missing.flatMap((g) => g.contacts), devices: missing.flatMap((g) => g.devices) });
    const partial = groupIds(GROUPS_PER_BATCH + 20);
    await Contact.deleteMany({ _id: { $in: partial.contacts.slice(1, 3) } });
    await ProductArchive.deleteOne({ _id: partial.devices[4] });
    expect(await countImported(id)).toEqual({ customers: CUSTOMERS * 0.75, contacts: CUSTOMERS * 0.75 * 5 - 2, devices: CUSTOMERS * 0.75 * 5 - 1 });
    // The file waits in the data folder until its import is done: back as it was when the run stopped.
    await writeFile(importFilePath({ dataDir: server.config.dataDir }, id), bytes);
    const settled = { customers: GROUPS_PER_BATCH, attachedCustomers: 0, contacts: GROUPS_PER_BATCH * 5, devices: GROUPS_PER_BATCH * 5, rejectedRows: 0 };
    await Import.updateOne({ _id: id }, { $set: { status: 'importing', doneGroups: GROUPS_PER_BATCH, doneRows: GROUPS_PER_BATCH * 5, leaseUntil: null, counts: settled } });

    // A live run's lease is respected: a second worker does nothing meanwhile.
    await Import.updateOne({ _id: id }, { $set: { leaseUntil: new Date(Date.now() + 60_000) } });
    await runImport(id, { dataDir: server.config.dataDir });
    expect(await Import.findById(id).lean()).toMatchObject({ status: 'importing', doneGroups: GROUPS_PER_BATCH });
    await Import.updateOne({ _id: id }, { $set: { leaseUntil: new Date(Date.now() - 1) } });

    await runImport(id, { dataDir: server.config.dataDir });
    const after = await Import.findById(id).lean();
    expect(after).toMatchObject({ status: 'done', doneRows: CUSTOMERS * 5, doneGroups: CUSTOMERS });
    expect(after!.counts).toEqual({ ...all, attachedCustomers: 0, rejectedRows: 0 });
    expect(await countImported(id)).toEqual(all);
    expect(await Contact.countDocuments({ phone: `136${String((GROUPS_PER_BATCH + 20) * 5 + 1).padStart(8, '0')}` })).toBe(1);
    expect(await SearchTerm.countDocuments({ ref: String(partial.contacts[1]) })).toBeGreaterThan(0);
    expect(await SearchTerm.countDocuments({ ref: String(missing[0]!.customer) })).toBeGreaterThan(0);
  }, 120_000);
});
