// The leads export reads in key-paged batches: past one batch, with many leads created in the same
// millisecond, every lead is written exactly once.
import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { exportLeads } from '../../src/modules/leads/lead.export.js';
import { Lead } from '../../src/modules/leads/lead.model.js';
import { useTestDatabase } from '../helpers/db.js';

useTestDatabase();

describe('leads export', () => {
  it('writes every lead once across batches, ties on createdAt included', async () => {
    const at = new Date('2026-11-01T02:00:00.000Z');
    const leads = Array.from({ length: 1_230 }, (_, i) => ({
      _id: new mongoose.Types.ObjectId(),
      company: `导出测试公司${i}`,
      name: `联系人${i}`,
      source: 'manual',
      status: 'new',
      // Three stretches of one shared timestamp, each longer than a batch (500).
      createdAt: new Date(at.getTime() - Math.floor(i / 600) * 1000),
      updatedAt: at,
    }));
    await Lead.collection.insertMany(leads);
    const admin = { kind: 'staff', staffId: new mongoose.Types.ObjectId().toHexString(), role: 'admin', department: null, sessionId: 'export-test' } as const;
    const book = new ExcelJS.Workbook();
    const bytes = await exportLeads({}, admin);
    await book.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const companies: string[] = [];
    sheet.eachRow((row, index) => {
      if (index > 1) companies.push(String(row.getCell(1).value));
    });
    expect(companies).toHaveLength(1_230);
    expect(new Set(companies).size).toBe(1_230);
  });
});
