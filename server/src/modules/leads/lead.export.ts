// 导出 Excel: the leads of the list's filters, under the same visibility, as an .xlsx with Chinese
// headers. Capped: a larger selection is refused with a clear 400 rather than a stalled download.
import { leadSourceLabels, leadStatusLabels, type LeadFilters, type LeadSource, type LeadStatus } from '@qiao/shared';
import ExcelJS from 'exceljs';
import { badRequest } from '../../errors.js';
import { chinaDateTime } from '../../lib/china-time.js';
import { afterCursor, cursorAfter, decodeCursor, flatFilter, type KeyCursor } from '../../lib/query.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { leadListFilter } from './lead.service.js';
import { Lead, type LeadDoc } from './lead.model.js';
import { toLeadViews } from './lead.views.js';

export const LEAD_EXPORT_MAX = 10_000;
const BATCH = 500;

const COLUMNS: Array<{ header: string; width: number }> = [
  { header: '公司名称', width: 28 },
  { header: '联系人', width: 12 },
  { header: '电话', width: 16 },
  { header: '邮箱', width: 22 },
  { header: '地区', width: 10 },
  { header: '行业', width: 10 },
  { header: '意向产品', width: 24 },
  { header: '来源', width: 10 },
  { header: '营销方案', width: 20 },
  { header: '状态', width: 8 },
  { header: '负责人', width: 10 },
  { header: '协作人', width: 16 },
  { header: '备注', width: 30 },
  { header: '创建时间', width: 17 },
];

export async function exportLeads(filters: LeadFilters, viewer: StaffPrincipal, max = LEAD_EXPORT_MAX): Promise<Buffer> {
  const filter = await leadListFilter(filters, viewer);
  const total = filter ? await Lead.countDocuments(filter) : 0;
  if (total > max) throw badRequest('LEAD_EXPORT_TOO_LARGE', `符合条件的线索有 ${total} 条，超过导出上限 ${max} 条，请缩小筛选范围后再导出`);
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('线索');
  sheet.columns = COLUMNS.map((column) => ({ header: column.header, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  // Key paging (lib/query.ts): each batch a range on createdAt and a small skip of the ties already
  // written, not a skip growing with the row number — and no row lost or repeated between batches.
  let cursor: KeyCursor | null = null;
  while (filter) {
    const after = cursor ? afterCursor('createdAt', -1, cursor) : null;
    const docs: LeadDoc[] = await Lead.find(after ? flatFilter(filter, after.condition) : filter)
      .sort({ createdAt: -1, _id: -1 })
      .skip(after?.skip ?? 0)
      .limit(BATCH)
      .lean<LeadDoc[]>();
    if (docs.length === 0) break;
    const next: string | null = cursorAfter(docs, BATCH, (doc) => doc.createdAt, cursor);
    cursor = next ? decodeCursor(next) : null;
    for (const lead of await toLeadViews(docs)) {
      sheet.addRow([
        lead.company,
        lead.name,
        lead.phone,
        lead.email,
        lead.region,
        lead.industry,
        lead.products.join('、'),
        leadSourceLabels[lead.source as LeadSource] ?? lead.source,
        lead.campaignName ?? '',
        leadStatusLabels[lead.status as LeadStatus] ?? lead.status,
        lead.ownerName ?? '',
        lead.collaborators.map((c) => c.name).join('、'),
        lead.notes,
        chinaDateTime(new Date(lead.createdAt)),
      ]);
    }
    if (!cursor) break;
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
