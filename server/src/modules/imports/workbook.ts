// The import template (导入模板) and reading an uploaded workbook back into rows of text. exceljs
// does the file format; what the cells mean is decided by rows.ts.
import { IMPORT_LIMITS, IMPORT_SHEET, importColumns, type ImportColumnKey, type ImportRowValues } from '@qiao/shared';
import ExcelJS from 'exceljs';
import { badRequest } from '../../errors.js';

/** Example rows start with this name prefix; the import skips them, so a filled-in template may keep them. */
export const EXAMPLE_PREFIX = '（示例）';

const NOTE = [
  '填写说明：第 2 行为表头，请从第 3 行起填写，每行一个联系人或一台设备；同一客户的多行请填写相同的客户名称（或客户编码）。',
  '带 * 的列必填；客户编码留空时自动生成；专管业务员填写其登录用户名，留空则导入到公海（业务员导入时归自己）。',
  '已有的客户：填写其客户编码（不填编码时，撞单检查找到唯一一个重复的现有客户也算），这些行的联系人和设备追加到该客户，客户资料和专管业务员不变；找到多个相似客户、该客户不归您管理、联系人手机已在该客户下时，这些行不导入。',
  '联系人手机为 11 位手机号；设备需填写产品型号、产品线、序列号、安装日期与保修到期（日期格式 2024-05-01）。',
  `以“${EXAMPLE_PREFIX}”开头的示例行不会导入，可以删除。同一客户的任何一行有错误时，该客户整组不导入。`,
].join('\n');

const GRADES = ['重点客户', '普通客户', '潜在客户'];

const EXAMPLES: Array<Partial<ImportRowValues>> = [
  { name: `${EXAMPLE_PREFIX}杭州蓝鲸科技有限公司`, code: 'KH900001', region: '浙江省杭州市', industry: '制造业', grade: '重点客户', address: '杭州市西湖区文三路 100 号', phone: '0571-88886666', contactName: '张伟', contactPhone: '13800138000', contactTitle: '设备科长', model: 'KFR-35GW', productLine: '空调', serialNumber: 'SN2024000001', installedAt: '2024-05-01', warrantyEndsAt: '2027-04-30', deviceAddress: '三楼机房' },
  { name: `${EXAMPLE_PREFIX}杭州蓝鲸科技有限公司`, code: 'KH900001', contactName: '李娜', contactPhone: '13900139000', contactTitle: '采购' },
  { name: `${EXAMPLE_PREFIX}杭州蓝鲸科技有限公司`, code: 'KH900001', model: 'JSQ30-16', productLine: '热水器', serialNumber: 'SN2024000002', installedAt: '2024-06-15', warrantyEndsAt: '2026-06-14' },
];

export async function templateWorkbook(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(IMPORT_SHEET, { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.columns = importColumns.map((column) => ({ key: column.key, width: Math.max(12, column.header.length * 2 + 2) }));
  sheet.mergeCells(1, 1, 1, importColumns.length);
  const note = sheet.getCell(1, 1);
  note.value = NOTE;
  note.alignment = { wrapText: true, vertical: 'top' };
  note.font = { color: { argb: 'FF8C8C8C' } };
  sheet.getRow(1).height = 96;
  const header = sheet.getRow(2);
  importColumns.forEach((column, i) => {
    const cell = header.getCell(i + 1);
    cell.value = column.header;
    cell.font = { bold: true, color: column.header.endsWith('*') ? { argb: 'FFCF1322' } : undefined };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF0F5FF' } };
  });
  for (const example of EXAMPLES) sheet.addRow(example);
  // Text columns stay text (a phone or code typed as a number keeps its leading zeros).
  for (const key of ['code', 'phone', 'contactPhone', 'serialNumber'] as const) sheet.getColumn(key).numFmt = '@';
  const columnLetter = (key: ImportColumnKey) => sheet.getColumn(key).letter;
  const validated = (key: ImportColumnKey, validation: ExcelJS.DataValidation) => {
    for (let row = 3; row <= 1000; row += 1) sheet.getCell(`${columnLetter(key)}${row}`).dataValidation = validation;
  };
  // A suggestion list, other values allowed (information style).
  validated('grade', { type: 'list', allowBlank: true, formulae: [`"${GRADES.join(',')}"`], showErrorMessage: true, errorStyle: 'information', error: '建议从列表中选择客户等级' });
  for (const key of ['installedAt', 'warrantyEndsAt'] as const) {
    validated(key, {
      type: 'date',
      operator: 'greaterThan',
      allowBlank: true,
      formulae: [new Date(Date.UTC(1990, 0, 1))],
      showErrorMessage: true,
      errorStyle: 'warning',
      error: '请填写日期，例如 2024-05-01',
    });
  }
  validated('contactPhone', { type: 'textLength', operator: 'equal', allowBlank: true, formulae: [11], showErrorMessage: true, errorStyle: 'warning', error: '联系人手机应为 11 位' });
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** One data row: its number as Excel shows it, and its cells as text. */
export interface SheetRow {
  row: number;
  values: ImportRowValues;
}

const fileInvalid = () => badRequest('IMPORT_FILE_INVALID', '文件不是有效的 Excel（.xlsx）文件，请使用导入模板');

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as the text a person typed: dates as YYYY-MM-DD (exceljs reads them at UTC midnight). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('').trim();
    if ('text' in value && typeof value.text === 'string') return value.text.trim();
    if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
    if ('error' in value) return '';
    return '';
  }
  return String(value).trim();
}

const headerKey = (text: string) => text.replace(/[*＊\s]/g, '');
const COLUMN_BY_HEADER = new Map<string, ImportColumnKey>(importColumns.map((column) => [headerKey(column.header), column.key]));

/**
 * The data rows of an uploaded workbook (example and empty rows left out). Refuses — 400 with a
 * Chinese message — what is not an xlsx, a workbook without the template's header, and more rows
 * than an import takes.
 */
export async function readImportRows(bytes: Buffer): Promise<SheetRow[]> {
  // An xlsx is a zip: "PK\x03\x04". Anything else is refused before exceljs sees it.
  if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) throw fileInvalid();
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw fileInvalid();
  }
  const sheet = book.getWorksheet(IMPORT_SHEET) ?? book.worksheets[0];
  if (!sheet) throw fileInvalid();
  // The header is the first of the top rows naming 客户名称 (the note row may be deleted).
  let headerRow = 0;
  const columns = new Map<number, ImportColumnKey>();
  for (let r = 1; r <= Math.min(5, sheet.rowCount) && headerRow === 0; r += 1) {
    const row = sheet.getRow(r);
    row.eachCell((cell, col) => {
      const key = COLUMN_BY_HEADER.get(headerKey(cellText(cell.value)));
      if (key) columns.set(col, key);
    });
    if ([...columns.values()].includes('name')) headerRow = r;
    else columns.clear();
  }
  const found = new Set(columns.values());
  if (headerRow === 0 || !found.has('region')) {
    throw badRequest('IMPORT_TEMPLATE_MISMATCH', '没有找到模板的表头（客户名称、所在地区 …），请下载导入模板填写');
  }
  const rows: SheetRow[] = [];
  const empty = Object.fromEntries(importColumns.map((column) => [column.key, ''])) as ImportRowValues;
  for (let r = headerRow + 1; r <= sheet.rowCount; r += 1) {
    const row = sheet.getRow(r);
    if (!row.hasValues) continue;
    const values: ImportRowValues = { ...empty };
    for (const [col, key] of columns) values[key] = cellText(row.getCell(col).value);
    if (Object.values(values).every((v) => v === '')) continue;
    if (values.name.startsWith(EXAMPLE_PREFIX)) continue;
    rows.push({ row: r, values });
    if (rows.length > IMPORT_LIMITS.maxRows) {
      throw badRequest('IMPORT_TOO_MANY_ROWS', `一次最多导入 ${IMPORT_LIMITS.maxRows} 行，请分成几个文件`);
    }
  }
  if (rows.length === 0) throw badRequest('IMPORT_FILE_EMPTY', '文件中没有要导入的数据行');
  return rows;
}
