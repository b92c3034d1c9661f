// Campaign distribution against the sandbox: customer-service messages inside the window at the
// configured rate, mass send through a tag with the synced draft, fall-through, each WeChat error
// kind, opt-out and frequency cap, pause / resume / cancel, test-send, staff hand-out, 我的方案.
import { beforeAll, describe, expect, it } from 'vitest';
import { Campaign } from '../../src/modules/marketing/campaign.model.js';
import { Delivery } from '../../src/modules/marketing/delivery.model.js';
import { removeFinishedCampaignTags, TAG_KEEP_MS } from '../../src/modules/marketing/mass-send.js';
import { createMemoryTokenStore, createOfficialAccountClient } from '../../src/wechat/api/index.js';
import { pushXml, textMessage } from '../helpers/oa.js';
import { call, TEST_OA, useTestServer, type TestServer } from '../helpers/server.js';
import { createCustomer, createStaffMember, customerSession, staffSession, unique } from '../helpers/factories.js';
import { Staff } from '../../src/modules/identity/staff.model.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { createCampaignViaApi, createMaterialViaApi, createRecipients, createSegmentViaApi, uploadImage, type Recipient } from './helpers.js';

const RATE = 50;
let server: TestServer;
let marketer: { token: string; id: string };
let article: { id: string };
useTestServer(
  async (s) => {
    server = s;
  },
  { QIAO_CAMPAIGN_SEND_RATE: String(RATE), QIAO_CAMPAIGN_FREQUENCY_CAP: '2', QIAO_CAMPAIGN_QUOTA_PAUSE_SECONDS: '2' },
);

beforeAll(async () => {
  marketer = await staffSession(server, 'marketer');
  const cover = await uploadImage(server.url, marketer.token);
  const inline = await uploadImage(server.url, marketer.token);
  article = await createMaterialViaApi(server, marketer.token, { title: '夏季清洗优惠', summary: '空调清洗八折', coverFileId: cover.id, bodyHtml: `<p>正文</p><img src="${inline.url}">` });
});

const sandbox = () => server.sandbox.sandbox;

/** A group of recipients with their own tag, and a campaign to them (started). */
async function campaignTo(recipients: Recipient[] | null, tag: string, channels: string[], start = true) {
  const segment = await createSegmentViaApi(server, marketer.token, { tags: [tag] });
  const campaign = await createCampaignViaApi(server, marketer.token, { materialId: article.id, segmentId: segment.id, channels });
  if (start) {
    const started = await call(server.url, `/api/v1/campaigns/${campaign.id}/start`, { method: 'POST', token: marketer.token });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
  }
  return campaign.id;
}

async function progressOf(id: string) {
  const response = await call(server.url, `/api/v1/campaigns/${id}/progress`, { token: marketer.token });
  expect(response.status).toBe(200);
  return response.body as { status: string; targeted: number; sent: number; failed: Record<string, number>; skipped: Record<string, number>; remaining: number; ratePerSecond: number };
}

async function waitFor(id: string, status: string, timeoutMs = 40_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const progress = await progressOf(id);
    if (progress.status === status) return progress;
    if (Date.now() > until) throw new Error(`campaign ${id} stayed ${progress.status}: ${JSON.stringify(progress)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const sentTo = (kind: 'custom' | 'mass', openids: Set<string>) => sandbox().sent({ kind }).filter((m) => openids.has(m.openid) && !(m.payload as { preview?: boolean }).preview);

describe('customer-service channel', () => {
  it('sends one news message per recipient inside the window, with their share token, at the configured rate', async () => {
    const tag = unique('T');
    const customer = await createCustomer();
    const recipients = await createRecipients(server.sandbox.url, customer._id, 120, { tag, inWindow: true });
    const id = await campaignTo(recipients, tag, ['service']);
    const progress = await waitFor(id, 'completed');
    expect(progress).toMatchObject({ targeted: 120, sent: 120, remaining: 0, failed: {}, skipped: {}, ratePerSecond: RATE });
    const messages = sentTo('custom', new Set(recipients.map((r) => r.openid)));
    expect(messages).toHaveLength(120);
    expect(new Set(messages.map((m) => m.openid)).size).toBe(120);
    const payload = messages[0]!.payload as { msgtype: string; news: { articles: Array<{ title: string; url: string; picurl?: string }> } };
    expect(payload.msgtype).toBe('news');
    expect(payload.news.articles[0]).toMatchObject({ title: '夏季清洗优惠' });
    expect(payload.news.articles[0]!.url).toMatch(new RegExp(`/h5/#/pages/campaign/index\\?id=${id}&s=[\\w-]+$`));
    // Rate: 120 messages at 50/s take at least 119/50 s, and no second holds more than 50 — give or
    // take the hop from the pacer to the sandbox (on a busy machine a request can lag 100 ms: 5
    // messages). The pacer's own bound is exact in distribution-pacing.test.ts.
    const times = messages.map((m) => Date.parse(m.at)).sort((x, y) => x - y);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(((120 - 1) / RATE) * 1000 * 0.9);
    let most = 0;
    for (let i = 0, j = 0; i < times.length; i += 1) {
      while (times[i]! - times[j]! >= 1000) j += 1;
      most = Math.max(most, i - j + 1);
    }
    expect(most).toBeLessThanOrEqual(RATE + 5);
    // Each delivery stores the token of its link.
    const delivery = await Delivery.findById(`${id}:${recipients[0]!.contactId}`).lean();
    expect(delivery).toMatchObject({ state: 'sent', channel: 'service' });
  });

  it('records 45015 as outside-window and 43004 as unsubscribed; falls through to mass when chosen', async () => {
    const tag = unique('T');
    const customer = await createCustomer();
    const recipients = await createRecipients(server.sandbox.url, customer._id, 3, { tag, inWindow: true });
    // WeChat's window closed for #0 (we believed it open); #1 unfollowed on WeChat's side.
    await call(server.sandbox.url, '/faults', { body: { path: '/cgi-bin/message/custom/send', errcode: 45015, openid: recipients[0]!.openid } });
    await call(server.sandbox.url, '/faults', { body: { path: '/cgi-bin/message/custom/send', errcode: 43004, openid: recipients[1]!.openid } });
    const id = await campaignTo(recipients, tag, ['service']);
    const progress = await waitFor(id, 'completed');
    expect(progress).toMatchObject({ sent: 1, failed: { 'outside-window': 1 }, skipped: { unsubscribed: 1 } });

    const tag2 = unique('T');
    const more = await createRecipients(server.sandbox.url, customer._id, 3, { tag: tag2, inWindow: true });
    await call(server.sandbox.url, '/faults', { body: { path: '/cgi-bin/message/custom/send', errcode: 45015, openid: more[0]!.openid } });
    const both = await campaignTo(more, tag2, ['service', 'mass']);
    const result = await waitFor(both, 'completed');
    expect(result).toMatchObject({ sent: 3, failed: {}, skipped: {} });
    expect(sentTo('mass', new Set([more[0]!.openid]))).toHaveLength(1);
    expect(sentTo('custom', new Set(more.slice(1).map((r) => r.openid)))).toHaveLength(2);
  });

  it('retries -1 and HTTP 5xx with backoff (nobody twice), pauses on 45009 and resumes by itself', async () => {
    const tag = unique('T');
    const customer = await createCustomer();
    const recipients = await createRecipients(server.sandbox.url, customer._id, 6, { tag, inWindow: true });
    await call(server.sandbox.url, '/faults', { body: { path: '/cgi-bin/message/custom/send', errcode: -1, openid: recipients[1]!.openid } });
    await call(server.sandbox.url, '/faults', { body: { path: '/cgi-bin/message/custom/send', httpStatus: 503, openid: recipients[2]!.openid } });
    await call(server.sandbox.url, '/faults', { body: { path: '/cgi-bin/message/custom/send', errcode: 45009, openid: recipients[4]!.openid } });
    const id = await campaignTo(recipients, tag, ['service']);
    const paused = await waitFor(id, 'paused', 30_000);
    expect(paused.sent).toBeGreaterThanOrEqual(1);
    expect((await call(server.url, `/api/v1/campaigns/${id}`, { token: marketer.token })).body.pauseReason).toMatch(/上限/);
    const done = await waitFor(id, 'completed', 40_000);
    expect(done).toMatchObject({ sent: 6, failed: {}, skipped: {} });
    const messages = sentTo('custom', new Set(recipients.map((r) => r.openid)));
    expect(messages.map((m) => m.openid).sort()).toEqual(recipients.map((r) => r.openid).sort());
  });
});

describe('mass channel', () => {
  it('syncs the article as a draft (images through uploadimg, cover as a permanent image), tags the recipients and sends once by tag', async () => {
    const tag = unique('T');
    const customer = await createCustomer();
    const recipients = await createRecipients(server.sandbox.url, customer._id, 120, { tag });
    const callsBefore = sandbox().calls().length;
    const id = await campaignTo(recipients, tag, ['mass']);
    const progress = await waitFor(id, 'completed');
    expect(progress).toMatchObject({ targeted: 120, sent: 120, remaining: 0 });
    const mass = sentTo('mass', new Set(recipients.map((r) => r.openid)));
    expect(mass).toHaveLength(120);
    expect(new Set(mass.map((m) => m.msgid)).size).toBe(1);
    const mediaId = (mass[0]!.payload as { mpnews: { media_id: string } }).mpnews.media_id;
    const draft = sandbox().drafts().find((d) => d.media_id === mediaId)!;
    expect(draft.articles[0]).toMatchObject({ title: '夏季清洗优惠', digest: '空调清洗八折', content_source_url: expect.stringMatching(new RegExp(`index\\?id=${id}$`)) });
    // The body image was replaced by WeChat's URL (WeChat would have filtered ours out).
    expect(draft.articles[0]!.content).toMatch(/<img src="http:\/\/mmbiz\.qpic\.cn\/sandbox\/[^"]+">/);
    const calls = sandbox().calls().slice(callsBefore).map((c) => c.path);
    expect(calls.filter((p) => p === '/cgi-bin/tags/members/batchtagging')).toHaveLength(3);
    expect(calls.filter((p) => p === '/cgi-bin/message/mass/sendall').length).toBeGreaterThanOrEqual(1);
  });

  it('removes a finished campaign’s WeChat tag a day later (an account may have 100 tags), once', async () => {
    const tag = unique('T');
    const customer = await createCustomer();
    const recipients = await createRecipients(server.sandbox.url, customer._id, 3, { tag });
    const id = await campaignTo(recipients, tag, ['mass']);
    await waitFor(id, 'completed');
    const { mass, finishedAt } = (await Campaign.findById(id).lean())!;
    const tagId = mass!.tagId!;
    const wechat = createOfficialAccountClient({ baseUrl: server.sandbox.url, appid: TEST_OA.appid, secret: TEST_OA.secret, tokenStore: createMemoryTokenStore() });
    const tagsNow = async () => (await wechat.getTags()).map((t) => t.id);
    expect(await tagsNow()).toContain(tagId);
    // Within the day WeChat may still be delivering: the tag stays.
    await removeFinishedCampaignTags({ wechat }, new Date(finishedAt!.getTime() + TAG_KEEP_MS - 60_000));
    expect(await tagsNow()).toContain(tagId);
    const later = new Date(finishedAt!.getTime() + TAG_KEEP_MS + 60_000);
    expect(await removeFinishedCampaignTags({ wechat }, later)).toBeGreaterThanOrEqual(1);
    expect(await tagsNow()).not.toContain(tagId);
    expect((await Campaign.findById(id).lean())!.mass!.tagRemovedAt).toEqual(later);
    // Run again (the hourly job): nothing more to do for this campaign, no call for its tag.
    const callsBefore = sandbox().calls().length;
    await removeFinishedCampaignTags({ wechat }, later);
    expect(sandbox().calls().slice(callsBefore).filter((c) => c.path === '/cgi-bin/tags/delete')).toHaveLength(0);
  });

  it('skips followers who had this month’s 4 mass messages (quota), counted from our own records', async () => {
    const tag = unique('T');
    const customer = await createCustomer();
    const recipients = await createRecipients(server.sandbox.url, customer._id, 2, { tag });
    for (let i = 0; i < 4; i += 1) {
      const other = await campaignTo(null, unique('none'), ['mass'], false);
      // Counted by openid (WeChat's limit is per follower); recorded for the contact this WeChat
      // user verified as before, so that the frequency cap (per contact) stays out of the way.
      await Delivery.create({ _id: `${other}:x${i}`, campaignId: other, recipientKind: 'contact', recipientId: `earlier-contact-${i}`, openid: recipients[0]!.openid, state: 'sent', outcome: 'sent', channel: 'mass', sentAt: new Date() });
    }
    const id = await campaignTo(recipients, tag, ['mass']);
    const progress = await waitFor(id, 'completed');
    expect(progress).toMatchObject({ sent: 1, skipped: { quota: 1 } });
    expect(sentTo('mass', new Set([recipients[0]!.openid]))).toHaveLength(0);
  });
});

describe('who is not sent to', () => {
  it('respects opt-outs (a "TD" reply or the unsubscribe link) and the frequency cap', async () => {
    const tag = unique('T');
    const customer = await createCustomer();
    const recipients = await createRecipients(server.sandbox.url, customer._id, 4, { tag, inWindow: true });
    // #0 replies "TD" to the Official Account; #1 had two campaigns in the last 30 days (the cap).
    const pushed = await pushXml(server.url, textMessage(recipients[0]!.openid, ' td '), { token: TEST_OA.token, appid: TEST_OA.appid });
    expect(pushed.status).toBe(200);
    expect(pushed.reply?.Content).toMatch(/退订/);
    for (let i = 0; i < 2; i += 1) {
      const other = await campaignTo(null, unique('none'), ['service'], false);
      await Delivery.create({ _id: `${other}:${recipients[1]!.contactId}`, campaignId: other, recipientKind: 'contact', recipientId: recipients[1]!.contactId, openid: recipients[1]!.openid, state: 'sent', outcome: 'sent', channel: 'service', sentAt: new Date() });
    }
    const first = await campaignTo(recipients.slice(2), tag, ['service']);
    const progress = await waitFor(first, 'completed');
    expect(progress).toMatchObject({ sent: 2, skipped: { 'opted-out': 1, 'frequency-cap': 1 } });

    // #2 follows the unsubscribe link of the message they got: not in the next campaign.
    const token = (await Delivery.findById(`${first}:${recipients[2]!.contactId}`).lean())!.shareToken!;
    const optOut = await call(server.url, '/api/v1/marketing/opt-out', { body: { token } });
    expect(optOut.status).toBe(200);
    expect((await call(server.url, '/api/v1/marketing/opt-out', { body: { token: 'nope' } })).status).toBe(404);
    const second = await campaignTo(recipients, tag, ['service']);
    const after = await waitFor(second, 'completed');
    expect(after.skipped['opted-out']).toBe(2);
    expect(sentTo('custom', new Set([recipients[0]!.openid, recipients[2]!.openid])).length).toBe(1);
  });
});

describe('pause, resume, cancel', () => {
  it('take effect within a couple of seconds', async () => {
    const tag = unique('T');
    const customer = await createCustomer();
    const recipients = await createRecipients(server.sandbox.url, customer._id, 300, { tag, inWindow: true });
    const openids = new Set(recipients.map((r) => r.openid));
    const id = await campaignTo(recipients, tag, ['service']);
    // Running: wait until some went out, then pause.
    for (let i = 0; i < 100 && sentTo('custom', openids).length < 20; i += 1) await new Promise((r) => setTimeout(r, 100));
    expect((await call(server.url, `/api/v1/campaigns/${id}/pause`, { method: 'POST', token: marketer.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    const atPause = sentTo('custom', openids).length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(sentTo('custom', openids).length).toBe(atPause);
    expect(atPause).toBeLessThan(300);
    expect((await progressOf(id)).status).toBe('paused');

    expect((await call(server.url, `/api/v1/campaigns/${id}/resume`, { method: 'POST', token: marketer.token })).status).toBe(200);
    for (let i = 0; i < 100 && sentTo('custom', openids).length < atPause + 20; i += 1) await new Promise((r) => setTimeout(r, 100));
    expect((await call(server.url, `/api/v1/campaigns/${id}/cancel`, { method: 'POST', token: marketer.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    const atCancel = sentTo('custom', openids).length;
    await new Promise((r) => setTimeout(r, 2000));
    expect(sentTo('custom', openids).length).toBe(atCancel);
    expect(atCancel).toBeGreaterThan(atPause);
    expect(atCancel).toBeLessThan(300);
    const progress = await progressOf(id);
    expect(progress.status).toBe('cancelled');
    expect(progress.sent).toBe(atCancel);
    // A cancelled campaign cannot be resumed or edited.
    expect((await call(server.url, `/api/v1/campaigns/${id}/resume`, { method: 'POST', token: marketer.token })).status).toBe(409);
    expect((await call(server.url, `/api/v1/campaigns/${id}`, { method: 'PATCH', token: marketer.token, body: { name: 'x' } })).status).toBe(409);
  });
});

describe('test-send, staff hand-out and 我的方案', () => {
  it('previews the exact article to the marketer’s own WeChat; 400 when not bound', async () => {
    const id = await campaignTo(null, unique('none'), ['mass'], false);
    const unbound = await call(server.url, `/api/v1/campaigns/${id}/test-send`, { method: 'POST', token: marketer.token });
    expect(unbound.status).toBe(400);
    expect(unbound.body.error.code).toBe('WECHAT_NOT_BOUND');
    expect(unbound.body.error.message).toMatch(/绑定/);
    const openid = unique('oMkt');
    const user = await WeChatUser.create({ _id: unique('wu'), oaOpenid: openid, subscribed: true, staffId: marketer.id });
    await Staff.updateOne({ _id: marketer.id }, { $set: { wechatUserId: user._id } });
    sandbox().registerUser({ openid });
    const sent = await call(server.url, `/api/v1/campaigns/${id}/test-send`, { method: 'POST', token: marketer.token });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const previews = sandbox().sent({ openid, kind: 'mass' });
    expect(previews).toHaveLength(1);
    const mediaId = (previews[0]!.payload as { mpnews: { media_id: string } }).mpnews.media_id;
    expect(sandbox().drafts().find((d) => d.media_id === mediaId)?.articles[0]).toMatchObject({ title: '夏季清洗优惠' });
  });

  it('hands the campaign to every active salesperson and engineer, and lists it in 我的方案 with their own link', async () => {
    const tag = unique('T');
    const customer = await createCustomer();
    const engineer = await createStaffMember('engineer');
    const inactive = await createStaffMember('sales', { active: false });
    const contactSession = await customerSession({ customer });
    await (await import('../../src/modules/customers/contact.model.js')).Contact.updateOne({ _id: contactSession.contact!._id }, { $set: { tags: [tag] } });
    sandbox().registerUser({ openid: contactSession.oaOpenid });
    await WeChatUser.updateOne({ _id: contactSession.wechatUserId }, { $set: { lastInteractionAt: new Date() } });
    sandbox().recordInteraction(contactSession.oaOpenid, 'message');
    const id = await campaignTo(null, tag, ['service', 'staff']);
    await waitFor(id, 'completed');

    const mine = await call(server.url, '/api/v1/me/campaigns', { token: engineer.token });
    expect(mine.status).toBe(200);
    expect(mine.body.items[0]).toMatchObject({ campaignId: id, title: '夏季清洗优惠', summary: '空调清洗八折', link: expect.stringMatching(new RegExp(`^/h5/#/pages/campaign/index\\?id=${id}&s=[\\w-]+$`)) });
    expect((await call(server.url, '/api/v1/me/campaigns', { token: inactive.token })).status).toBe(401);

    const customerView = await call(server.url, '/api/v1/me/campaigns', { token: contactSession.token });
    expect(customerView.body.items.map((c: { campaignId: string }) => c.campaignId)).toEqual([id]);
    const token = customerView.body.items[0].shareToken as string;
    const message = sandbox().sent({ openid: contactSession.oaOpenid, kind: 'custom' })[0]!.payload as { news: { articles: Array<{ url: string }> } };
    expect(message.news.articles[0]!.url.endsWith(`s=${token}`)).toBe(true);
    const searched = await call(server.url, `/api/v1/me/campaigns?q=${encodeURIComponent('清洗')}`, { token: contactSession.token });
    expect(searched.body.total).toBe(1);
    const none = await call(server.url, `/api/v1/me/campaigns?q=${encodeURIComponent('不存在的方案')}`, { token: contactSession.token });
    expect(none.body.total).toBe(0);
  });

  it('refuses to start a mass campaign whose material cannot go out as an article', async () => {
    const poster = await createMaterialViaApi(server, marketer.token, { kind: 'poster', title: '海报' });
    const segment = await createSegmentViaApi(server, marketer.token, { tags: ['x'] });
    const campaign = await createCampaignViaApi(server, marketer.token, { materialId: poster.id, segmentId: segment.id, channels: ['mass'] });
    const started = await call(server.url, `/api/v1/campaigns/${campaign.id}/start`, { method: 'POST', token: marketer.token });
    expect(started.status).toBe(400);
    expect(started.body.error.code).toBe('MATERIAL_NOT_SENDABLE');
  });
});
