// A campaign spreads through the H5 landing page in Chromium, person to person: A (a recipient)
// opens it from 我的方案 and shares it to B and C; B shares it to D; D leaves an intent. Every link
// carries its sharer's own token (read from the JS-SDK's share data — a stubbed `window.wx` — and
// from the 分享 panel), so the share tree, the lead's path and the spreader ranking come out of the
// landings alone. Also: unknown campaigns, a failed load retried, and the silent web authorisation
// inside WeChat that comes back to the same campaign link.
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Lead, Paged, ShareTree, Spreader } from '@qiao/shared';
import { SANDBOX_CREDENTIALS } from '../../server/src/config.js';
import { WeChatUser } from '../../server/src/modules/identity/wechat-user.model.js';
import { buildInbound, messageXml } from '../../server/src/wechat/oa/inbound.js';
import { api, eventually, staffToken, TINY_PNG } from '../support/api.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';
import { watchCsp } from './csp.js';

const env = useE2eEnvironment();

const A = { mpOpenid: 'oE2eShareAMp0001', oaOpenid: 'oE2eShareAOa0001', unionid: 'uE2eShareA000001', phone: '13500135001', name: '钱经理' };
const REGION = '绍兴';
const STAFF_OPENID = 'oE2eShareStaff01';
const PRODUCTS = ['中央空调', '新风系统'];
const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322c) NetType/WIFI Language/zh_CN';

/** The origin WeChat links use (PUBLIC_BASE_URL defaults to localhost): the JS-SDK signs only URLs there. */
const publicOrigin = () => env.server.url.replace('127.0.0.1', 'localhost');

/** WeChat pushes the follow event of `openid`. */
async function follow(url: string, openid: string): Promise<void> {
  const xml = messageXml({ ToUserName: 'gh_qiao', FromUserName: openid, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'event', Event: 'subscribe', EventKey: '' });
  const { query, body } = buildInbound(xml, { token: SANDBOX_CREDENTIALS.oa.token, appid: SANDBOX_CREDENTIALS.oa.appid });
  const response = await fetch(`${url}/wechat/oa?${new URLSearchParams(query)}`, { method: 'POST', body });
  expect(response.status).toBe(200);
}

/** A: a contact of a customer in 绍兴, verified in the mini-program, following the Official Account. */
async function seedRecipient(url: string, admin: string) {
  const customer = await api(url, '/api/v1/customers', { token: admin, body: { name: '绍兴黄酒集团', region: REGION } });
  const contact = await api(url, '/api/v1/contacts', { token: admin, body: { customerId: customer.id, name: A.name, phone: A.phone } });
  const { code } = await api(url, '/sandbox/mp/login-code', { body: { openid: A.mpOpenid, unionid: A.unionid } });
  const session = await api(url, '/api/v1/auth/mp-login', { body: { code } });
  await api(url, '/api/v1/me/verification/code', { token: session.token, body: { phone: A.phone } });
  const inbox = await api<{ items: Array<{ code: string }> }>(url, `/sandbox/sms?phone=${A.phone}`);
  await api(url, '/api/v1/me/verification', { token: session.token, body: { phone: A.phone, code: inbox.items.at(-1)!.code } });
  await api(url, '/sandbox/oa/users', { body: { openid: A.oaOpenid, unionid: A.unionid, nickname: A.name } });
  await follow(url, A.oaOpenid);
  // WeChat answers the follower's unionid in the background: then the two WeChat identities are one person.
  const joined = await eventually(() => WeChatUser.findOne({ oaOpenid: A.oaOpenid }).lean(), (user) => user?.mpOpenid === A.mpOpenid && Boolean(user?.subscribed));
  expect(joined).toMatchObject({ mpOpenid: A.mpOpenid, subscribed: true });
  return { contactId: contact.id as string };
}

/** A fresh mini-program session of A (what the H5 build does with `?openid=`). */
async function sessionOfA(url: string): Promise<string> {
  const { code } = await api(url, '/sandbox/mp/login-code', { body: { openid: A.mpOpenid, unionid: A.unionid } });
  return (await api(url, '/api/v1/auth/mp-login', { body: { code } })).token as string;
}

/** An uploaded image, as the console's cover picker does it. */
async function uploadCover(url: string, admin: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([TINY_PNG], { type: 'image/png' }), 'cover.png');
  const response = await fetch(`${url}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
  expect(response.ok).toBe(true);
  return ((await response.json()) as { id: string }).id;
}

/** Material + segment (the 绍兴 contacts) + campaign with an intent form, started and finished. */
async function runCampaign(url: string, admin: string, channels: string[] = ['mass']): Promise<string> {
  const material = await api(url, '/api/v1/materials', {
    token: admin,
    body: {
      kind: 'article',
      title: '春季焕新：中央空调以旧换新',
      author: '市场部',
      summary: '老空调换新机，享专业上门评估',
      coverFileId: await uploadCover(url, admin),
      bodyHtml: '<p>春季焕新活动开始啦！<strong>专业工程师</strong>上门评估。</p><script>window.__xss = 1</script>',
    },
  });
  const segment = await api(url, '/api/v1/segments', { token: admin, body: { name: `绍兴客户（${channels.join('、')}）`, rules: { regions: [REGION] } } });
  const campaign = await api(url, '/api/v1/campaigns', {
    token: admin,
    body: { name: '春季焕新', materialId: material.id, segmentId: segment.id, channels, intentForm: { enabled: true, products: PRODUCTS } },
  });
  await api(url, `/api/v1/campaigns/${campaign.id}/start`, { token: admin, method: 'POST', body: {} });
  const progress = await eventually(
    () => api(url, `/api/v1/campaigns/${campaign.id}/progress`, { token: admin }),
    (p) => p.status === 'completed',
  );
  expect(progress.status).toBe('completed');
  if (channels.includes('mass')) expect(progress, JSON.stringify(progress)).toMatchObject({ targeted: 1, sent: 1 });
  return campaign.id as string;
}

/** `window.wx` as WeChat's JS-SDK behaves once configured: ready after config; share data kept for the test. */
async function stubJsSdk(page: Page): Promise<void> {
  await page.addInitScript(() => {
    type Data = { link: string; title: string; imgUrl: string; desc?: string };
    const w = window as unknown as { wx: unknown; __wxConfig?: unknown; __wxShares: Data[]; __wxTimeline: Data[] };
    const ready: Array<() => void> = [];
    w.__wxShares = [];
    w.__wxTimeline = [];
    w.wx = {
      config(options: unknown) {
        w.__wxConfig = options;
        setTimeout(() => ready.splice(0).forEach((callback) => callback()), 10);
      },
      ready(callback: () => void) {
        ready.push(callback);
      },
      error() {},
      updateAppMessageShareData(data: Data) {
        w.__wxShares.push(data);
      },
      updateTimelineShareData(data: Data) {
        w.__wxTimeline.push(data);
      },
    };
  });
}

/** The link in the page's 分享 panel (the viewer's own token in it). */
async function panelLink(page: Page): Promise<string> {
  const link = page.locator('#cp-share-link');
  await expect.poll(() => link.innerText(), { timeout: 20_000 }).toContain('s=');
  return (await link.innerText()).trim();
}

/** The campaign of the share chain (the first test), which the later ones open again. */
let chainCampaignId = '';

const tokenOf = (link: string) => new URL(link.replace('#/', '')).searchParams.get('s') ?? '';

interface Visitor {
  context: BrowserContext;
  page: Page;
  link: string;
}

/** Someone outside WeChat opens a shared link in their own browser: anonymous, with the 分享 panel. */
async function visit(link: string, errors: string[]): Promise<Visitor> {
  const { context, page } = await env.browser.newPage({ mobile: true });
  errors.push(...collectPageErrors(page));
  await page.goto(link);
  await page.locator('#cp-title').waitFor({ timeout: 20_000 });
  return { context, page, link: await panelLink(page) };
}

describe('a campaign spreads through the H5 landing page', () => {
  it('A → B, C; B → D; D leaves an intent: tree, lead path and ranking follow the landings', async () => {
    const url = env.server.url;
    const origin = publicOrigin();
    const admin = await staffToken(url, 'admin', ADMIN_PASSWORD);
    const recipient = await seedRecipient(url, admin);
    const campaignId = await runCampaign(url, admin);
    chainCampaignId = campaignId;

    // A finds the campaign in 我的方案 (the H5 of the mini-program, logged in as themselves).
    const { context: aContext, page: a } = await env.browser.newPage({ mobile: true });
    const errors = collectPageErrors(a);
    const csp = await watchCsp(a);
    await stubJsSdk(a);
    await a.goto(`${origin}/h5/?openid=${A.mpOpenid}&unionid=${A.unionid}#/pages/me/index`);
    await a.locator('#me-campaigns').click();
    const card = a.locator(`#mc-${campaignId}`);
    await expect.poll(() => card.innerText(), { timeout: 20_000 }).toContain('春季焕新：中央空调以旧换新');
    const mine = await api<{ items: Array<{ campaignId: string; shareToken: string }> }>(url, '/api/v1/me/campaigns', { token: await sessionOfA(url) });
    const aToken = mine.items.find((item) => item.campaignId === campaignId)!.shareToken;
    await card.click();

    // The landing page: the material (sanitised), the intent form, and A's own token in every share.
    await a.locator('#cp-title').waitFor({ timeout: 20_000 });
    await expect.poll(() => a.locator('#cp-body').innerText()).toContain('专业工程师');
    expect(await a.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await a.locator('#cp-intent').waitFor();
    const aLink = await panelLink(a);
    expect(tokenOf(aLink)).toBe(aToken);
    expect(aLink).toBe(`${origin}/h5/#/pages/campaign/index?id=${campaignId}&s=${aToken}`);
    // …and through the JS-SDK: wx.config signed by the server, then the share data with A's link.
    const shared = await eventually(
      () => a.evaluate(() => (window as unknown as { __wxShares: Array<{ link: string; title: string; imgUrl: string }> }).__wxShares),
      (items) => items.length > 0,
    );
    expect(shared[0]).toMatchObject({ link: aLink, title: '春季焕新：中央空调以旧换新' });
    expect(shared[0]!.imgUrl).toMatch(new RegExp(`^${origin}/api/v1/files/`));
    const config = await a.evaluate(() => (window as unknown as { __wxConfig: { signature: string; jsApiList: string[] } }).__wxConfig);
    expect(config.signature).toMatch(/^[0-9a-f]{40}$/);
    expect(config.jsApiList).toEqual(expect.arrayContaining(['updateAppMessageShareData', 'updateTimelineShareData']));
    expect(await a.evaluate(() => (window as unknown as { __wxTimeline: Array<{ link: string }> }).__wxTimeline[0]?.link)).toBe(aLink);
    // The recipient opening their own link may opt out.
    await a.locator('#cp-optout').waitFor();

    // B and C open A's link; D opens B's.
    const b = await visit(aLink, errors);
    const c = await visit(aLink, errors);
    expect(new Set([aToken, tokenOf(b.link), tokenOf(c.link)]).size).toBe(3);
    expect(await b.page.locator('#cp-optout').count()).toBe(0);
    const d = await visit(b.link, errors);

    // D leaves an intent.
    await d.page.locator('#cp-intent-product-0').click();
    await d.page.locator('#cp-intent-name input').fill('孙先生');
    await d.page.locator('#cp-intent-phone input').fill('1380571');
    await d.page.locator('#cp-intent-company input').fill('绍兴纺织有限公司');
    await d.page.locator('#cp-intent-submit').click();
    await expect.poll(() => d.page.locator('#cp-intent').innerText()).toContain('请输入正确的 11 位手机号');
    await d.page.locator('#cp-intent-phone input').fill('13805710001');
    await d.page.locator('#cp-intent-submit').click();
    await d.page.locator('#cp-intent-done').waitFor({ timeout: 20_000 });

    // The share tree: A at the root with B and C; D under B.
    const roots = await api<ShareTree>(url, `/api/v1/campaigns/${campaignId}/share-tree`, { token: admin });
    expect(roots.stats).toMatchObject({ nodes: 4, maxDepth: 2, maxFanout: 2 });
    expect(roots.nodes).toHaveLength(1);
    expect(roots.nodes[0]).toMatchObject({
      token: aToken,
      depth: 0,
      name: A.name,
      kind: 'contact',
      views: 2,
      shares: 2,
      childCount: 2,
      subtree: { nodes: 4, intents: 1, leads: 1 },
    });
    const children = await api<ShareTree>(url, `/api/v1/campaigns/${campaignId}/share-tree?parent=${aToken}`, { token: admin });
    const byToken = new Map(children.nodes.map((node) => [node.token, node]));
    expect([...byToken.keys()].sort()).toEqual([tokenOf(b.link), tokenOf(c.link)].sort());
    expect(byToken.get(tokenOf(b.link))).toMatchObject({ depth: 1, views: 1, shares: 1, childCount: 1, subtree: { nodes: 2, intents: 1, leads: 1 } });
    expect(byToken.get(tokenOf(c.link))).toMatchObject({ depth: 1, views: 0, shares: 0, childCount: 0, subtree: { nodes: 1, intents: 0 } });
    const grandchildren = await api<ShareTree>(url, `/api/v1/campaigns/${campaignId}/share-tree?parent=${tokenOf(b.link)}`, { token: admin });
    expect(grandchildren.nodes).toHaveLength(1);
    expect(grandchildren.nodes[0]).toMatchObject({ token: tokenOf(d.link), depth: 2, intents: 1, leads: 1, childCount: 0 });

    // The lead: credited to the campaign and to the path A → B → D.
    const leads = await api<Paged<Lead>>(url, `/api/v1/leads?campaignId=${campaignId}`, { token: admin });
    expect(leads.total).toBe(1);
    expect(leads.items[0]).toMatchObject({
      name: '孙先生',
      phone: '13805710001',
      company: '绍兴纺织有限公司',
      products: [PRODUCTS[0]],
      source: 'campaign',
      campaignId,
      shareToken: tokenOf(d.link),
    });
    expect(leads.items[0]!.sharePath.map((entry) => entry.token)).toEqual([aToken, tokenOf(b.link), tokenOf(d.link)]);
    expect(leads.items[0]!.sharePath[0]?.name).toBe(A.name);

    // The spreaders: A first.
    const spreaders = await api<Paged<Spreader>>(url, `/api/v1/spreaders?campaignId=${campaignId}`, { token: admin });
    expect(spreaders.items[0]).toMatchObject({ rank: 1, kind: 'customer', id: recipient.contactId, name: A.name });
    expect(spreaders.items[0]!.direct.uniqueVisitors).toBe(2);
    expect(spreaders.items[0]!.indirect.uniqueVisitors).toBeGreaterThanOrEqual(1);

    // A has had enough: 不再接收此类消息, confirmed in the dialog.
    await a.locator('#cp-optout').click();
    await a.locator('.taro-model__confirm').click();
    await expect.poll(() => a.locator('#cp-optout-done').innerText()).toContain('已退订');

    expect(errors).toEqual([]);
    expect(await csp.violations()).toEqual([]);
    for (const context of [aContext, b.context, c.context, d.context]) await context.close();
  });

  it('an unknown campaign shows a friendly empty state; a failed load offers 重试', async () => {
    const { context, page } = await env.browser.newPage({ mobile: true });
    const errors = collectPageErrors(page);
    await page.goto(`${publicOrigin()}/h5/#/pages/campaign/index?id=ffffffffffffffffffffffff&s=AAAAAAAAAAAA`);
    await expect.poll(() => page.locator('#cp-missing').innerText(), { timeout: 20_000 }).toContain('活动不存在或已结束');

    await context.close();

    // The network drops the first view; 重试 loads the page.
    const campaignId = chainCampaignId;
    const second = await env.browser.newPage({ mobile: true });
    errors.push(...collectPageErrors(second.page));
    let dropped = false;
    await second.page.route('**/api/v1/track/view', (route) => {
      if (dropped) return route.continue();
      dropped = true;
      return route.abort('internetdisconnected');
    });
    await second.page.goto(`${publicOrigin()}/h5/#/pages/campaign/index?id=${campaignId}`);
    await expect.poll(() => second.page.locator('#cp-error').innerText(), { timeout: 20_000 }).toContain('网络');
    await second.page.locator('#cp-retry').click();
    await second.page.locator('#cp-title').waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
    await second.context.close();
  });

  it('inside WeChat a viewer is identified silently and comes back to the same campaign link', async () => {
    const url = env.server.url;
    const origin = publicOrigin();
    const admin = await staffToken(url, 'admin', ADMIN_PASSWORD);
    const campaignId = chainCampaignId;
    const mine = await api<{ items: Array<{ campaignId: string; shareToken: string }> }>(url, '/api/v1/me/campaigns', { token: await sessionOfA(url) });
    const aToken = mine.items.find((item) => item.campaignId === campaignId)!.shareToken;

    const context = await env.browser.browser.newContext({ userAgent: WECHAT_UA, locale: 'zh-CN', viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const csp = await watchCsp(page);
    await page.goto(`${origin}/h5/#/pages/campaign/index?id=${campaignId}&s=${aToken}`);
    // WeChat's authorize page (the sandbox's picker in development): a new WeChat user.
    const create = page.locator('#new-person');
    await create.waitFor({ timeout: 20_000 });
    await create.locator('input[name="openid"]').fill('oE2eShareWx00001');
    await create.locator('input[name="nickname"]').fill('微信访客');
    await create.locator('button').click();
    await page.locator('#cp-title').waitFor({ timeout: 20_000 });
    expect(page.url()).toContain(`s=${aToken}`);
    expect(page.url()).not.toContain('qiao_ticket');
    // The JS-SDK cannot load here (no network): the link to copy is offered instead.
    const link = await panelLink(page);
    const node = await api<ShareTree>(url, `/api/v1/campaigns/${campaignId}/share-tree?parent=${aToken}`, { token: admin });
    expect(node.nodes.find((item) => item.token === tokenOf(link))).toMatchObject({ kind: 'wechat' });
    expect(errors).toEqual([]);
    expect(await csp.violations()).toEqual([]);
    await context.close();
  });

  it('a staff member finds the hand-out in 我的方案, searches it, gets the personal poster and shares with their own token', async () => {
    const url = env.server.url;
    const origin = publicOrigin();
    const admin = await staffToken(url, 'admin', ADMIN_PASSWORD);
    const engineer = await api(url, '/api/v1/staff', {
      token: admin,
      body: { username: 'zhougong', name: '周工', password: 'engineer-pass-9', role: 'engineer', phone: '13900139009' },
    });
    const invite = await api(url, `/api/v1/staff/${engineer.id}/invite-code`, { token: admin, method: 'POST' });
    const { code } = await api(url, '/sandbox/mp/login-code', { body: { openid: STAFF_OPENID } });
    const session = await api(url, '/api/v1/auth/mp-login', { body: { code } });
    await api(url, '/api/v1/me/staff-binding', { token: session.token, body: { inviteCode: invite.code } });
    const campaignId = await runCampaign(url, admin, ['staff']);
    const mine = await api<{ items: Array<{ campaignId: string; shareToken: string }> }>(url, '/api/v1/me/campaigns', { token: session.token });
    const staffShareToken = mine.items.find((item) => item.campaignId === campaignId)?.shareToken;
    expect(staffShareToken).toBeTruthy();

    const { context, page } = await env.browser.newPage({ mobile: true });
    const errors = collectPageErrors(page);
    const csp = await watchCsp(page);
    await page.goto(`${origin}/h5/?openid=${STAFF_OPENID}#/pages/my-campaigns/index`);
    const card = page.locator(`#mc-${campaignId}`);
    await card.waitFor({ timeout: 20_000 });
    // Search: nothing for an unknown word, the campaign for its title.
    await page.locator('#mc-search input').fill('不存在的方案');
    await page.locator('#mc-search-submit').click();
    await expect.poll(() => page.locator('#mc-empty').innerText()).toContain('没有找到相关方案');
    await page.locator('#mc-search input').fill('以旧换新');
    await page.locator('#mc-search-submit').click();
    await card.waitFor();

    // 我的海报: the PNG drawn for this staff member, with a download link.
    await page.locator(`#mc-poster-${campaignId}`).click();
    const image = page.locator('#mc-poster-image img');
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 20_000 }).toBeGreaterThan(100);
    expect(await page.locator('#mc-poster-download').getAttribute('href')).toMatch(/^blob:/);

    // The landing page opens with the staff member's own token in the link they share.
    await page.locator('#mc-poster-close').click();
    await card.click();
    expect(tokenOf(await panelLink(page))).toBe(staffShareToken);
    expect(await page.locator('#cp-optout').count()).toBe(0);
    expect(errors).toEqual([]);
    expect(await csp.violations()).toEqual([]);
    await context.close();
  });

  it('a material preview link shows the material without tracking, sharing or the intent form', async () => {
    const url = env.server.url;
    const admin = await staffToken(url, 'admin', ADMIN_PASSWORD);
    const material = await api(url, '/api/v1/materials', {
      token: admin,
      body: { kind: 'article', title: '新品预览：磁悬浮冷水机组', author: '市场部', bodyHtml: '<p>节能 40%，静音运行。</p>' },
    });
    const { url: link } = await api<{ url: string }>(url, `/api/v1/materials/${material.id}/preview-link`, { token: admin, method: 'POST', body: {} });
    expect(link).toContain('/h5/#/pages/campaign/index?preview=');
    const { context, page } = await env.browser.newPage({ mobile: true });
    const errors = collectPageErrors(page);
    let views = 0;
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/track/view')) views += 1;
    });
    await page.goto(new URL(link, publicOrigin()).toString());
    await expect.poll(() => page.locator('#cp-title').innerText(), { timeout: 20_000 }).toBe('新品预览：磁悬浮冷水机组');
    expect(await page.locator('#cp-preview').innerText()).toBe('预览');
    // Taro's RichText fills its element a moment after the title shows.
    await expect.poll(() => page.locator('#cp-body').innerText()).toContain('静音运行');
    expect(await page.locator('#cp-share').count()).toBe(0);
    expect(await page.locator('#cp-intent').count()).toBe(0);
    expect(views).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
