// How the report tests ask for reports: as JSON (anything but 200 fails the test) or as an Excel
// workbook, with the figures, tables and sheets read out of the answer.
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { call } from '../helpers/server.js';

/** The week the fixtures' figures are worked out for. */
export const PERIOD = 'from=2026-10-01&to=2026-10-07';

/** Reports of the test server at `url()` (read when a test runs: the server starts before them). */
export function reportClient(url: () => string) {
  return {
    async report(name: string, token: string, query = PERIOD) {
      const response = await call(url(), `/api/v1/reports/${name}?${query}`, { token });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body;
    },
    /** The Excel export (`format=xlsx`; anything but 200 fails the test), and the workbook in it. */
    async workbook(name: string, token: string, query = PERIOD) {
      const response = await fetch(`${url()}/api/v1/reports/${name}?${query}&format=xlsx`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status, `${name} xlsx`).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(await response.arrayBuffer());
      return { headers: response.headers, book };
    },
  };
}

/** `{ key: value }` of a report's figures. */
export const figures = (body: any) => Object.fromEntries(body.figures.map((f: any) => [f.key, f.value]));
/** The rows of a report's table. */
export const rows = (body: any, key: string) => body.tables.find((t: any) => t.key === key).rows;
/** A sheet's rows as arrays of cell values, without ExcelJS's empty first row and column. */
export const sheetRows = (book: ExcelJS.Workbook, name: string) => book.getWorksheet(name)!.getSheetValues().slice(1).map((row) => (row as unknown[]).slice(1));
