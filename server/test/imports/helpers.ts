// Import files built in the tests with exceljs, the upload, and waiting for the job.
import { importColumns, IMPORT_SHEET, type ImportRowValues } from '@qiao/shared';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { unique } from '../helpers/factories.js';
import { call, type TestServer } from '../helpers/server.js';

export type Row = Partial<ImportRowValues>;

/** A workbook like the template: the note row, the header on row 2, data from row 3. */
export async function importFile(rows: Row[], { note = true } = {}): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(IMPORT_SHEET);
  if (note) sheet.addRow(['填写说明']);
  sheet.addRow(importColumns.map((c) => c.header));
  for (const row of rows) sheet.addRow(importColumns.map((c) => row[c.key] ?? null));
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Excel's row number of data row `i` (0-based) in `importFile` with the note row. */
export const excelRow = (i: number) => i + 3;

/** A device row of the template (a fresh serial number unless given). */
export const device = (serial = unique('SN')): Row => ({ model: 'KFR-35GW', productLine: '空调', serialNumber: serial, installedAt: '2024-05-01', warrantyEndsAt: '2027-04-30' });

export async function upload(server: TestServer, token: string | undefined, bytes: Buffer, name = '客户导入.xlsx') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const response = await fetch(`${server.url}/api/v1/imports`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {}, body: form });
  return { status: response.status, body: (await response.json()) as any };
}

/** Polls the import until it is done or failed; returns its last state. */
export async function finished(server: TestServer, token: string, id: string, timeoutMs = 120_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const response = await call(server.url, `/api/v1/imports/${id}`, { token });
    // The shared test machine can starve the embedded database for a moment: ask again.
    if (response.status === 503 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      continue;
    }
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    if (response.body.status === 'done' || response.body.status === 'failed') return response.body;
    if (Date.now() > until) throw new Error(`import ${id} still ${response.body.status} (${response.body.doneRows}/${response.body.totalRows})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function download(server: TestServer, token: string, path: string): Promise<{ status: number; type: string; disposition: string; book: ExcelJS.Workbook | null }> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const bytes = Buffer.from(await response.arrayBuffer());
  let book: ExcelJS.Workbook | null = null;
  if (response.status === 200) {
    book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  }
  return { status: response.status, type: response.headers.get('content-type') ?? '', disposition: response.headers.get('content-disposition') ?? '', book };
}
