// The funnel and the comparison as real .xlsx workbooks (exceljs), with Chinese headers, and the
// content-disposition of a download with a Chinese file name (RFC 6266 / RFC 5987 `filename*`).
import { deliveryReasonLabels, reportChannelLabels, type CampaignReport, type DeliveryReason, type Funnel } from '@qiao/shared';
import ExcelJS from 'exceljs';

const reasonLabel = (reason: string) => deliveryReasonLabels[reason as DeliveryReason] ?? reason;

/** `attachment` with an ASCII fallback name and the UTF-8 name for every current browser. */
export function attachmentDisposition(fileName: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encoded}`;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function funnelRows(funnel: Funnel): Array<[string, number]> {
  return [
    ['目标人数', funnel.targeted],
    ['送达人数', funnel.delivered],
    ...Object.entries(funnel.failed).map(([reason, n]): [string, number] => [`未送达：${reasonLabel(reason)}`, n]),
    ['阅读人数', funnel.read],
    ['分享人数', funnel.shared],
    ['独立访客', funnel.uniqueVisitors],
    ['意向数', funnel.intents],
    ['线索数', funnel.leads],
  ];
}

export async function funnelWorkbook(campaignName: string, funnel: Funnel): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('营销漏斗');
  sheet.columns = [
    { header: '指标', key: 'metric', width: 32 },
    { header: '数量', key: 'value', width: 12 },
  ];
  sheet.insertRow(1, [`营销方案：${campaignName}`]);
  for (const [metric, value] of funnelRows(funnel)) sheet.addRow({ metric, value });
  sheet.getRow(2).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}

const FIGURE_HEADERS = ['目标人数', '送达人数', '未送达', '阅读人数', '分享人数', '独立访客', '意向数', '线索数'];
const failedTotal = (funnel: Funnel) => Object.values(funnel.failed).reduce((sum, n) => sum + n, 0);
const figureCells = (f: Funnel) => [f.targeted, f.delivered, failedTotal(f), f.read, f.shared, f.uniqueVisitors, f.intents, f.leads];

export async function reportWorkbook(report: CampaignReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const campaigns = book.addWorksheet('营销方案对比');
  campaigns.addRow(['营销方案', '开始时间', '渠道', ...FIGURE_HEADERS]).font = { bold: true };
  for (const row of report.campaigns) {
    campaigns.addRow([row.name, row.startedAt ? new Date(row.startedAt) : '', row.channels.map((c) => reportChannelLabels[c]).join('、'), ...figureCells(row)]);
  }
  campaigns.getColumn(1).width = 28;
  campaigns.getColumn(2).width = 20;
  const channels = book.addWorksheet('渠道对比');
  channels.addRow(['渠道', '方案数', ...FIGURE_HEADERS]).font = { bold: true };
  for (const row of report.channels) channels.addRow([reportChannelLabels[row.channel], row.campaigns, ...figureCells(row)]);
  return Buffer.from(await book.xlsx.writeBuffer());
}
