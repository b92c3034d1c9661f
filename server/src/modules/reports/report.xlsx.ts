// A report as an .xlsx workbook (exceljs): 概览 with the figures, then one sheet per table, with
// the same Chinese column names and the same figures as the JSON answer.
import type { Report, ReportColumn, ReportColumnKind } from '@qiao/shared';
import ExcelJS from 'exceljs';

const UNITS: Partial<Record<ReportColumnKind, string>> = { percent: '%' };

/** Excel refuses sheet names with []:*?/\ or past 31 characters, and duplicates. */
function sheetName(title: string, used: Set<string>): string {
  const base = title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 28) || '数据';
  let name = base;
  for (let n = 2; used.has(name); n += 1) name = `${base}${n}`;
  used.add(name);
  return name;
}

const header = (column: ReportColumn) => (UNITS[column.kind] ? `${column.title}(${UNITS[column.kind]})` : column.title);
/** Money is stored in 分 and shown in 元. */
const cell = (column: ReportColumn, value: string | number | null | undefined) =>
  value === null || value === undefined ? '' : column.kind === 'money' && typeof value === 'number' ? value / 100 : value;

export async function reportWorkbook(report: Report): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const used = new Set<string>();
  const summary = book.addWorksheet(sheetName('概览', used));
  summary.addRow([report.title]).font = { bold: true, size: 14 };
  summary.addRow(['统计区间', `${report.period.from} 至 ${report.period.to}`]);
  summary.addRow(['指标', '数值']).font = { bold: true };
  for (const figure of report.figures) {
    summary.addRow([figure.kind === 'percent' ? `${figure.label}(%)` : figure.kind === 'money' ? `${figure.label}(元)` : figure.label, figure.value === null ? '' : figure.kind === 'money' ? figure.value / 100 : figure.value]);
  }
  summary.getColumn(1).width = 36;
  summary.getColumn(2).width = 16;
  for (const table of report.tables) {
    const sheet = book.addWorksheet(sheetName(table.title, used));
    sheet.addRow(table.columns.map((column) => (column.kind === 'money' ? `${column.title}(元)` : header(column)))).font = { bold: true };
    for (const row of table.rows) sheet.addRow(table.columns.map((column) => cell(column, row[column.key])));
    table.columns.forEach((column, i) => {
      sheet.getColumn(i + 1).width = column.kind === 'text' ? 18 : 14;
      if (table.key === 'calendar' && i > 0) sheet.getColumn(i + 1).alignment = { wrapText: true, vertical: 'top' };
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
