// Effect analysis and the JS-SDK: the funnel and the comparison (JSON and real .xlsx files that
// exceljs opens, with a Chinese file name), and wx.config signatures (WeChat's published example,
// the shared ticket, refused origins).
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Delivery } from '../../src/modules/marketing/delivery.model.js';
import { jsapiSignature } from '../../src/modules/spread/jssdk.service.js';
import { shareTokenOf } from '../../src/modules/spread/lookup.service.js';
import { WeChatAccessToken } from '../../src/wechat/api/index.js';
import { createCampaignFixture } from '../helpers/campaigns.js';
import { createStaffMember, customerSession, unique } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
useTestServer((s) => void (server = s));

let marketer: Awaited<ReturnType<typeof createStaffMember>>;
let campaign: Awaited<ReturnType<typeof createCampaignFixture>>;
const visitor = () => unique('v-').replace(/[^A-Za-z0-9_-]/g, '');

beforeAll(async () => {
  marketer = await createStaffMember('marketer');
  campaign = await createCampaignFixture({ createdBy: marketer.id, name: '夏季促销', channels: ['mass'] });
  // Three recipients: two sent, one outside the 48-hour window; the first opens and shares.
  const recipients = await Promise.all([customerSession(), customerSession(), customerSession()]);
  const outcomes = [
    { state: 'sent', outcome: 'sent', reason: null },
    { state: 'sent', outcome: 'sent', reason: null },
    { state: 'skipped', outcome: 'skipped:outside-window', reason: 'outside-window' },
  ] as const;
  for (const [i, recipient] of recipients.entries()) {
    const contactId = String(recipient.contact!._id);
    await Delivery.create({ _id: `${campaign.id}:${contactId}`, campaignId: campaign.id, recipientKind: 'contact', recipientId: contactId, ...outcomes[i]! });
  }
  const first = recipients[0]!;
  const token = await shareTokenOf(campaign.id, { kind: 'contact', id: String(first.contact!._id) });
  expect((await call(server.url, '/api/v1/track/view', { token: first.token, body: { campaignId: campaign.id, s: token, visitorId: visitor() } })).status).toBe(200);
  for (let i = 0; i < 2; i += 1) {
    const answer = await call(server.url, '/api/v1/track/view', { body: { campaignId: campaign.id, s: token, visitorId: visitor() } });
    expect(answer.status).toBe(200);
  }
});

async function download(path: string, token: string) {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const book = new ExcelJS.Workbook();
  const bytes = Buffer.from(await response.arrayBuffer());
  if (response.status === 200) await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return { status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition') ?? '', book };
}

const rowsOf = (sheet: ExcelJS.Worksheet) => sheet.getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1));

describe('funnel and comparison', () => {
  it('answers the funnel from deliveries and the tracking counters', async () => {
    const funnel = await call(server.url, `/api/v1/campaigns/${campaign.id}/funnel`, { token: marketer.token });
    expect(funnel.status).toBe(200);
    expect(funnel.body).toEqual({ targeted: 3, delivered: 2, failed: { 'outside-window': 1 }, read: 1, shared: 1, uniqueVisitors: 3, intents: 0, leads: 0 });
  });

  it('exports the funnel as an .xlsx with Chinese headers and file name', async () => {
    const file = await download(`/api/v1/campaigns/${campaign.id}/funnel?format=xlsx`, marketer.token);
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.disposition).toMatch(/^attachment; filename="campaign-funnel-\d{4}-\d{2}-\d{2}\.xlsx"; filename\*=UTF-8''/);
    const encoded = file.disposition.split("filename*=UTF-8''")[1]!;
    expect(decodeURIComponent(encoded)).toMatch(/^营销漏斗-夏季促销-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const rows = rowsOf(file.book.getWorksheet('营销漏斗')!);
    expect(rows).toContainEqual(['指标', '数量']);
    expect(rows).toContainEqual(['目标人数', 3]);
    expect(rows).toContainEqual(['送达人数', 2]);
    expect(rows).toContainEqual(['未送达：超出 48 小时互动窗口', 1]);
    expect(rows).toContainEqual(['阅读人数', 1]);
    expect(rows).toContainEqual(['独立访客', 3]);
  });

  it('compares campaigns and channels over a period, as JSON and .xlsx', async () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 3600_000).toISOString();
    const report = await call(server.url, `/api/v1/campaigns/report?from=${from}&to=${to}`, { token: marketer.token });
    expect(report.status).toBe(200);
    expect(report.body.campaigns).toHaveLength(1);
    expect(report.body.campaigns[0]).toMatchObject({ campaignId: campaign.id, name: '夏季促销', channels: ['mass'], delivered: 2, uniqueVisitors: 3 });
    expect(report.body.channels.find((row: { channel: string }) => row.channel === 'mass')).toMatchObject({ campaigns: 1, targeted: 3, read: 1 });
    expect(report.body.channels.find((row: { channel: string }) => row.channel === 'staff')).toMatchObject({ campaigns: 0, targeted: 0 });
    const later = await call(server.url, `/api/v1/campaigns/report?from=${to}`, { token: marketer.token });
    expect(later.body.campaigns).toEqual([]);

    const file = await download(`/api/v1/campaigns/report?from=${from}&format=xlsx`, marketer.token);
    expect(file.status).toBe(200);
    expect(rowsOf(file.book.getWorksheet('营销方案对比')!)[1]).toEqual(expect.arrayContaining(['夏季促销', '群发', 3, 2, 1]));
    expect(rowsOf(file.book.getWorksheet('渠道对比')!)[0]).toEqual(['渠道', '方案数', '目标人数', '送达人数', '未送达', '阅读人数', '分享人数', '独立访客', '意向数', '线索数']);
  });

  it('is for marketers and managers only', async () => {
    const sales = await createStaffMember('sales');
    for (const path of [`/api/v1/campaigns/${campaign.id}/funnel`, `/api/v1/campaigns/${campaign.id}/share-tree`, '/api/v1/campaigns/report']) {
      expect((await call(server.url, path, { token: sales.token })).status).toBe(403);
      expect((await call(server.url, path)).status).toBe(401);
    }
    const manager = await createStaffMember('manager');
    expect((await call(server.url, `/api/v1/campaigns/${campaign.id}/funnel`, { token: manager.token })).status).toBe(200);
    expect((await call(server.url, '/api/v1/campaigns/0123456789abcdef01234567/funnel', { token: manager.token })).status).toBe(404);
  });
});

describe('GET /wechat/js-config', () => {
  it('signs like WeChat’s published example (JS-SDK 附录1)', () => {
    const ticket = 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg';
    expect(jsapiSignature(ticket, 'Wm3WZYTPz0wzccnW', 1414587457, 'http://mp.weixin.qq.com?params=value')).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
    expect(jsapiSignature(ticket, 'Wm3WZYTPz0wzccnW', 1414587457, 'http://mp.weixin.qq.com')).toBe('f4d90daf4b3bca3078ab155816175ba34c443a7b');
  });

  it('signs pages of the public origin (without the fragment) with the shared, cached ticket', async () => {
    const origin = `http://localhost:${server.qiao.port}`;
    const page = `${origin}/h5/?from=singlemessage`;
    const answer = await call(server.url, `/api/v1/wechat/js-config?url=${encodeURIComponent(`${page}#/pages/campaign/index?id=1&s=abc`)}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ appId: server.config.wechat.oa.appid, jsApiList: expect.arrayContaining(['updateAppMessageShareData', 'updateTimelineShareData']) });
    const stored = await WeChatAccessToken.findById(`jsapi_ticket:${server.config.wechat.oa.appid}`).lean();
    expect(stored?.token).toBeTruthy();
    const plain = `jsapi_ticket=${stored!.token}&noncestr=${answer.body.nonceStr}&timestamp=${answer.body.timestamp}&url=${page}`;
    expect(answer.body.signature).toBe(createHash('sha1').update(plain).digest('hex'));
    expect(Math.abs(answer.body.timestamp - Date.now() / 1000)).toBeLessThan(60);

    await call(server.url, `/api/v1/wechat/js-config?url=${encodeURIComponent(`${origin}/h5/`)}`);
    expect(server.sandbox.sandbox.calls().filter((c) => c.path.endsWith('/ticket/getticket'))).toHaveLength(1);
  });

  it('refuses other origins and non-URLs', async () => {
    for (const url of ['https://evil.example.com/h5/', `http://localhost:${server.qiao.port + 1}/h5/`, 'javascript:alert(1)', 'not a url']) {
      const answer = await call(server.url, `/api/v1/wechat/js-config?url=${encodeURIComponent(url)}`);
      expect(answer.status, url).toBe(400);
      expect(answer.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });
});
