// A 5,000-row file with 50 bad rows of every kind: the good rows imported, the bad ones reported
// with their reasons, the counts exact; running the finished import again changes nothing.
import { describe, expect, it } from 'vitest';
import { writeSetting } from '../../src/lib/settings.js';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { POOL_RULES_SETTING } from '../../src/modules/customers/pool-rules.js';
import { countImported } from '../../src/modules/customers/import.writes.js';
import { Import } from '../../src/modules/imports/import.model.js';
import { derivedId, runImport } from '../../src/modules/imports/import.runner.js';
import { createCustomer, createProduct, createStaffMember } from '../helpers/factories.js';
import { useTestServer, type TestServer } from '../helpers/server.js';
import { excelRow, finished, importFile, upload, type Row } from './helpers.js';

let server: TestServer;
useTestServer((started) => void (server = started));

// Company names whose trade names (字号) share no two characters in a row with another's: the
// duplicate check's similarity must not take two of them for one company.
const CHARS = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月星云松竹梅兰菊桃李杏柳';
function tradeName(i: number): string {
  const n = CHARS.length;
  let x = (i * 7_919 + 13) % n ** 4;
  let name = '';
  for (let k = 0; k < 4; k += 1, x = Math.floor(x / n)) name += CHARS[x % n];
  return name;
}
const phoneOf = (n: number) => `137${String(n).padStart(8, '0')}`;

interface Plan {
  rows: Row[];
  /** Reasons expected per data row index (0-based), for the rows that are bad themselves. */
  bad: Map<number, string>;
  goodCustomers: number;
}

async function plan(owner: string): Promise<Plan> {
  const rows: Row[] = [];
  const bad = new Map<number, string>();
  let n = 0;
  const customerRows = (i: number, count: number, extra: Partial<Row> = {}) => {
    for (let j = 0; j < count; j += 1) {
      n += 1;
      rows.push({
        name: `${tradeName(i)}科技有限公司`,
        ...(j === 0 ? { region: '浙江省杭州市', code: i % 10 === 0 ? '' : `IMP${i}`, industry: '制造业', grade: '普通客户', owner: i % 3 === 0 ? owner : '' } : {}),
        contactName: `联系人${n}`,
        contactPhone: phoneOf(n),
        model: 'KFR-35GW',
        productLine: '空调',
        serialNumber: `IMPSN${n}`,
        installedAt: '2024-05-01',
        warrantyEndsAt: '2027-04-30',
        ...extra,
      });
    }
  };
  // 990 good customers of 5 rows.
  for (let i = 0; i < 990; i += 1) customerRows(i, 5);
  // 40 single-row customers, each bad in one way.
  const taken: string[] = [];
  const existing: string[] = [];
  for (let k = 0; k < 5; k += 1) {
    const customer = await createCustomer({ name: `已存在的客户${k}` });
    // Codes are stored upper-cased, as the service writes them.
    await Customer.updateOne({ _id: customer._id }, { $set: { code: `TAKEN${k}` } });
    taken.push(`TAKEN${k}`);
    existing.push((await createProduct(customer)).serialNumber);
  }
  const kinds: Array<(k: number) => [Partial<Row>, string]> = [
    () => [{ region: '' }, '请填写所在地区'],
    () => [{ contactPhone: '12345' }, '联系人手机：请输入正确的 11 位手机号'],
    () => [{ installedAt: '2024-13-01' }, '安装日期：日期不存在，请检查年月日'],
    () => [{ installedAt: '2026-01-01', warrantyEndsAt: '2025-01-01' }, '保修到期日不能早于安装日期'],
    () => [{ serialNumber: 'IMPSN1' }, '序列号 IMPSN1 与第 3 行重复'],
    (k) => [{ serialNumber: existing[k]! }, `序列号 ${existing[k]} 已存在`],
    () => [{ owner: 'nobody-here' }, '专管业务员 nobody-here 不存在（请填写登录用户名）'],
    // The code of a customer we have, outside the importing manager's departments: not added to it.
    (k) => [{ code: taken[k]! }, `客户编码 ${taken[k]} 对应的客户不在您管理的部门内，不能向其追加联系人或设备`],
  ];
  for (let k = 0; k < 40; k += 1) {
    const [extra, reason] = kinds[k % kinds.length]!(Math.floor(k / kinds.length));
    bad.set(rows.length, reason);
    // A serial number of the file's first row is unique only until this row repeats it.
    customerRows(1_000 + k, 1, { ...extra, serialNumber: extra.serialNumber ?? `IMPBAD${k}` });
    if (extra.code) rows[rows.length - 1]!.code = extra.code;
  }
  // 2 customers of 5 rows with one bad row each: the whole customer is refused.
  for (let k = 0; k < 2; k += 1) {
    const first = rows.length;
    customerRows(2_000 + k, 5);
    rows[first + 2]!.contactPhone = '1380013800';
    bad.set(first + 2, '联系人手机：请输入正确的 11 位手机号');
  }
  return { rows, bad, goodCustomers: 990 };
}

describe('a 5,000-row import', () => {
  it('imports the good rows, reports the 50 bad ones with reasons, counts exactly, and a second run changes nothing', async () => {
    const manager = await createStaffMember('manager', { department: 'dept-big' });
    const sales = await createStaffMember('sales', { department: 'dept-big' });
    // 330 of the customers are the salesperson's: more than the default cap of 200 (import-owners.test.ts tests caps).
    await writeSetting(POOL_RULES_SETTING, { defaults: { maxOwned: 200, maxDaysWithoutFollowUp: 30, maxDaysWithoutDeal: 90, remindDaysBefore: 3 }, byRole: {}, byStaff: [{ staffId: sales.id, maxOwned: 0 }] }, 'test');
    const { rows, bad, goodCustomers } = await plan(sales.doc.username);
    expect(rows).toHaveLength(5_000);

    const started = Date.now();
    const bytes = await importFile(rows);
    const response = await upload(server, manager.token, bytes);
    expect(response.status).toBe(202);
    const id = response.body.id as string;
    const result = await finished(server, manager.token, id);
    const seconds = (Date.now() - started) / 1000;
    console.info(`5,000-row import: ${seconds.toFixed(1)} s`);

    const goodRows = goodCustomers * 5;
    expect(result).toMatchObject({ status: 'done', totalRows: 5_000, doneRows: 5_000, error: '' });
    expect(result.counts).toEqual({ customers: goodCustomers, attachedCustomers: 0, contacts: goodRows, devices: goodRows, rejectedRows: 50 });
    expect(await countImported(id)).toEqual({ customers: goodCustomers, contacts: goodRows, devices: goodRows });

    // Every bad row is named with its reason; the other rows of a refused customer say why.
    expect(result.rejections).toHaveLength(50);
    const byRow = new Map(result.rejections.map((r: { row: number; reasons: string[] }) => [r.row, r.reasons]));
    for (const [index, reason] of bad) expect(byRow.get(excelRow(index)), `row ${excelRow(index)}`).toEqual([reason]);
    const collateral = result.rejections.filter((r: { row: number }) => ![...bad.keys()].map(excelRow).includes(r.row));
    expect(collateral).toHaveLength(8);
    for (const r of collateral) expect(r.reasons[0]).toMatch(/^同一客户的第 \d+ 行有错误，该客户整组未导入$/);

    // Owners, departments and codes as the file and the importer decide.
    const owned = await Customer.findOne({ code: 'IMP3' }).lean();
    expect(owned).toMatchObject({ ownerId: sales.id, department: 'dept-big', source: 'import', importId: id });
    expect(await Customer.findOne({ code: 'IMP1' }).lean()).toMatchObject({ ownerId: null, department: 'dept-big' });
    const noCode = await Customer.findById(derivedId(id, 'customer', excelRow(0))).lean();
    expect(noCode!.code).toMatch(/^KH\d{6,}$/);

    // Done is done: once more changes nothing.
    await runImport(id, { dataDir: server.config.dataDir });
    expect(await countImported(id)).toEqual({ customers: goodCustomers, contacts: goodRows, devices: goodRows });
    expect(await Import.findById(id).lean()).toMatchObject({ status: 'done', counts: result.counts });
    // About 30 s on the idle 2-core machine, twice that when it is shared (printed above).
    expect(seconds).toBeLessThan(120);
  }, 180_000);
});
