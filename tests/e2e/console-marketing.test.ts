// The console's marketing in Chromium: the admin tags contacts; a marketer writes a material in the rich editor (cover and
// an image in the body uploaded), previews it by QR code, builds a segment whose live count is
// shown, makes a campaign, test-sends it to their own WeChat, starts it and watches the progress
// reach 100%, then opens the share tree and the funnel. WeChat's side is read from the sandbox.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SANDBOX_CREDENTIALS } from '../../server/src/config.js';
import { buildInbound, messageXml } from '../../server/src/wechat/oa/inbound.js';
import { api, eventually, staffToken, TINY_PNG } from '../support/api.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';
import { watchCsp } from './csp.js';

const env = useE2eEnvironment();

const MARKETER = { username: 'zhaoyx', name: '赵营销', password: 'marketer-pass-1', oaOpenid: 'oE2eMktMarketer1', mpOpenid: 'oE2eMktMarketMp1', unionid: 'uE2eMktMarketer1' };
/** Three contacts following the Official Account; the first two get the tag the segment selects. */
const RECIPIENTS = [
  { region: '杭州', customer: '杭州湖滨商场', name: '钱经理', phone: '13700137001', oaOpenid: 'oE2eMktCustOa001', mpOpenid: 'oE2eMktCustMp001', unionid: 'uE2eMktCust00001' },
  { region: '杭州', customer: '杭州湖滨商场', name: '孙主管', phone: '13700137002', oaOpenid: 'oE2eMktCustOa002', mpOpenid: 'oE2eMktCustMp002', unionid: 'uE2eMktCust00002' },
  { region: '上海', customer: '上海浦江宾馆', name: '周总', phone: '13700137003', oaOpenid: 'oE2eMktCustOa003', mpOpenid: 'oE2eMktCustMp003', unionid: 'uE2eMktCust00003' },
];

type SandboxMessage = { kind: string; openid: string; payload: Record<string, unknown> };
const sandboxMessages = async (url: string, query: string) => (await api<{ items: SandboxMessage[] }>(url, `/sandbox/messages?${query}`)).items;

/** A WeChat user follows the Official Account (as WeChat pushes the event) with a unionid. */
async function follow(url: string, openid: string, unionid: string) {
  await api(url, '/sandbox/oa/users', { body: { openid, unionid } });
  const xml = messageXml({ ToUserName: 'gh_qiao', FromUserName: openid, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'event', Event: 'subscribe', EventKey: '' });
  const { query, body } = buildInbound(xml, { token: SANDBOX_CREDENTIALS.oa.token, appid: SANDBOX_CREDENTIALS.oa.appid });
  const response = await fetch(`${url}/wechat/oa?${new URLSearchParams(query)}`, { method: 'POST', body });
  expect(response.status).toBe(200);
}

/** The same person in the mini-program (one unionid): their session token. */
async function mpLogin(url: string, openid: string, unionid: string): Promise<string> {
  const { code } = await api(url, '/sandbox/mp/login-code', { body: { openid, unionid } });
  return (await api(url, '/api/v1/auth/mp-login', { body: { code } })).token;
}

/** Customers and contacts; each contact follows and has verified in WeChat. A marketer bound to their WeChat. */
async function seed(url: string) {
  const admin = await staffToken(url, 'admin', ADMIN_PASSWORD);
  const customers = new Map<string, string>();
  for (const person of RECIPIENTS) {
    if (!customers.has(person.customer)) {
      const customer = await api(url, '/api/v1/customers', { token: admin, body: { name: person.customer, region: person.region, industry: '零售' } });
      customers.set(person.customer, customer.id);
    }
    await api(url, '/api/v1/contacts', { token: admin, body: { customerId: customers.get(person.customer), name: person.name, phone: person.phone } });
    await follow(url, person.oaOpenid, person.unionid);
    const token = await mpLogin(url, person.mpOpenid, person.unionid);
    await api(url, '/api/v1/me/verification/code', { token, body: { phone: person.phone } });
    const inbox = await api<{ items: Array<{ code: string }> }>(url, `/sandbox/sms?phone=${person.phone}`);
    await api(url, '/api/v1/me/verification', { token, body: { phone: person.phone, code: inbox.items.at(-1)!.code } });
  }
  const marketer = await api(url, '/api/v1/staff', {
    token: admin,
    body: { username: MARKETER.username, name: MARKETER.name, password: MARKETER.password, role: 'marketer' },
  });
  // The marketer follows the Official Account and binds their WeChat with an invite code: test sends go there.
  await follow(url, MARKETER.oaOpenid, MARKETER.unionid);
  const invite = await api(url, `/api/v1/staff/${marketer.id}/invite-code`, { token: admin, method: 'POST' });
  const mpToken = await mpLogin(url, MARKETER.mpOpenid, MARKETER.unionid);
  await api(url, '/api/v1/me/staff-binding', { token: mpToken, body: { inviteCode: invite.code } });
}

async function login(page: Page, url: string, path: string) {
  await page.goto(`${url}/admin/login?redirect=${encodeURIComponent(path)}`);
  await page.fill('#login-username', MARKETER.username);
  await page.fill('#login-password', MARKETER.password);
  await page.click('#login-submit');
}

/** Picks an option of an antd Select by typing part of its label. */
async function choose(page: Page, selector: string, text: string) {
  await page.locator(selector).click();
  await page.locator(selector).fill(text);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().click();
}

const png = (name: string) => ({ name, mimeType: 'image/png', buffer: TINY_PNG });

/** 客户 → 联系人 → 编辑: the admin tags 钱经理 in the console; 孙主管 is tagged through the API. */
async function tagContacts(page: Page, url: string) {
  await page.goto(`${url}/admin/login?redirect=${encodeURIComponent('/sales/customers')}`);
  await page.fill('#login-username', 'admin');
  await page.fill('#login-password', ADMIN_PASSWORD);
  await page.click('#login-submit');
  await page.locator('.customer-name', { hasText: '杭州湖滨商场' }).click();
  await page.locator('#contact-table tr', { hasText: '钱经理' }).locator('.contact-edit').click();
  await page.locator('#contact-tags').fill('焕新意向');
  await page.locator('#contact-tags').press('Enter');
  await page.locator('#contact-save').click();
  await expect.poll(() => page.locator('#contact-table tr', { hasText: '钱经理' }).innerText()).toContain('焕新意向');
  // The marketer logs in next in this tab.
  await page.evaluate(() => localStorage.removeItem('qiao.admin.session'));

  const admin = await staffToken(url, 'admin', ADMIN_PASSWORD);
  const { items } = await api(url, '/api/v1/contacts?q=孙主管', { token: admin });
  const contact = items[0];
  await api(url, `/api/v1/contacts/${contact.id}`, { token: admin, method: 'PUT', body: { customerId: contact.customerId, name: contact.name, phone: contact.phone, tags: ['焕新意向'] } });
}

describe('marketing in the console', () => {
  it('material → segment → campaign → test send → start → progress 100% → share tree and funnel', async () => {
    const url = env.server.url;
    await seed(url);
    const { page, context } = await env.browser.newPage();
    const errors = collectPageErrors(page);
    const csp = await watchCsp(page);
    await tagContacts(page, url);

    // — 素材: the rich editor, with a cover and an image uploaded into the body.
    await login(page, url, '/marketing/materials');
    await page.locator('#material-table').waitFor();
    await page.locator('#material-create').click();
    await page.locator('#material-editor').waitFor();
    await page.locator('#material-save').click();
    await expect.poll(() => page.locator('#material-editor').innerText()).toContain('请填写标题');
    await page.locator('#material_title').fill('春季空调焕新季');
    await page.locator('#material_summary').fill('以旧换新，专业工程师上门安装');
    await page.locator('#material-editor .material-cover input[type=file]').setInputFiles(png('cover.png'));
    await page.locator('#material-editor .material-cover img').waitFor();
    await page.locator('#material-body [contenteditable=true]').click();
    await page.keyboard.type('春季焕新：旧空调折价，新机免费安装。');
    // wangEditor enables its menus for the new selection a moment after the change (throttled).
    await page.waitForFunction(() => !document.querySelector('button[data-menu-key="uploadImage"]')?.classList.contains('disabled'));
    await page.hover('button[data-menu-key="group-image"]');
    const chooser = page.waitForEvent('filechooser');
    await page.locator('button[data-menu-key="uploadImage"]').click();
    await (await chooser).setFiles(png('body.png'));
    await page.locator('#material-body img').waitFor();
    await page.locator('#material-save').click();
    await expect.poll(() => page.locator('#material-table').innerText()).toContain('春季空调焕新季');
    const marketerToken = await staffToken(url, MARKETER.username, MARKETER.password);
    const [listed] = (await api(url, '/api/v1/materials', { token: marketerToken })).items;
    const material = await api(url, `/api/v1/materials/${listed.id}`, { token: marketerToken });
    expect(material).toMatchObject({ title: '春季空调焕新季', kind: 'article', version: 1 });
    expect(material.coverFileId).toBeTruthy();
    expect(material.bodyHtml).toContain('旧空调折价');
    expect(material.bodyHtml).toContain('<img');

    // An edit is a new version; the first one stays viewable.
    await page.locator('.material-edit').first().click();
    await page.locator('#material_title').fill('春季空调焕新季（限时）');
    await page.locator('#material-save').click();
    await expect.poll(() => page.locator('#material-table').innerText()).toContain('第 2 版');
    await page.locator('.material-versions').first().click();
    await page.locator('#material-versions tr', { hasText: '第 1 版' }).locator('.material-version-view').click();
    await expect.poll(() => page.locator('#material-version-view').innerText()).toContain('第 1 版：春季空调焕新季');
    await expect.poll(() => page.locator('#material-version-view').innerText()).toContain('旧空调折价');
    await page.keyboard.press('Escape');

    // 扫描二维码预览: the code and the link of a signed preview page.
    await page.locator('.material-preview').first().click();
    await page.locator('#material-preview-qr').waitFor();
    expect(await page.locator('#material-preview-url').inputValue()).toContain('/h5/#/pages/campaign/index?preview=');
    await page.keyboard.press('Escape');

    // — 客户细分: the live count follows the rules.
    await page.goto(`${url}/admin/marketing/segments`);
    await page.locator('#segment-create').click();
    await page.locator('#segment_name').fill('焕新意向客户');
    await expect.poll(() => page.locator('#segment-preview .segment-count .ant-statistic-content-value').innerText()).toBe('3');
    await page.locator('#segment-tags').fill('焕新意向');
    await page.locator('#segment-tags').press('Enter');
    await page.locator('#segment-following').getByText('已关注').click();
    await expect.poll(() => page.locator('#segment-preview .segment-count .ant-statistic-content-value').innerText()).toBe('2');
    await expect.poll(() => page.locator('#segment-sample').innerText()).toContain('钱经理');
    expect(await page.locator('#segment-sample').innerText()).not.toContain('周总');
    await page.locator('#segment-save').click();
    await expect.poll(() => page.locator('#segment-table').innerText()).toContain('标签：焕新意向');

    // — 营销方案: material, segment (its count shown), mass send.
    await page.goto(`${url}/admin/marketing/campaigns`);
    await page.locator('#campaign-create').click();
    await page.locator('#campaign_name').fill('春季焕新推广');
    await choose(page, '#campaign-material', '春季空调焕新季');
    await choose(page, '#campaign-segment', '焕新意向客户');
    await expect.poll(() => page.locator('#campaign-segment-reach .segment-count .ant-statistic-content-value').innerText()).toBe('2');
    expect(await page.locator('#campaign-editor').innerText()).toContain('每月最多收到 4 次群发');
    await page.locator('#campaign-save').click();
    await page.waitForURL(/\/admin\/marketing\/campaigns\/[a-f0-9]{24}$/);
    const campaignId = page.url().split('/').at(-1)!;
    await expect.poll(() => page.locator('#campaign-status').innerText()).toBe('草稿');

    // 测试发送: the exact message, to the marketer's own WeChat only (mass/preview).
    await page.locator('#campaign-test-send').click();
    const previews = await eventually(
      () => sandboxMessages(url, `openid=${MARKETER.oaOpenid}&kind=mass`),
      (items) => items.length > 0,
    );
    expect(previews).toHaveLength(1);
    expect(previews[0]!.payload).toMatchObject({ preview: true });
    expect(await sandboxMessages(url, 'kind=mass')).toHaveLength(1);

    // 启动 (confirmed) → the progress, polled, reaches 100%.
    await page.locator('#campaign-start').click();
    await page.locator('#campaign-start-confirm').click();
    await expect.poll(() => page.locator('#campaign-progress-percent').innerText(), { timeout: 30_000 }).toBe('100%');
    await expect.poll(() => page.locator('#campaign-status').innerText(), { timeout: 10_000 }).toBe('已完成');
    expect(await page.locator('#campaign-progress .campaign-progress-sent .ant-statistic-content-value').innerText()).toBe('2');
    const delivered = (await sandboxMessages(url, 'kind=mass')).filter((item) => !item.payload.preview).map((item) => item.openid);
    expect(delivered.sort()).toEqual([RECIPIENTS[0]!.oaOpenid, RECIPIENTS[1]!.oaOpenid].sort());

    // The list shows it completed; the analysis pages open from the detail page.
    await page.locator('#campaign-share-tree-link').click();
    await page.waitForURL(new RegExp(`/admin/marketing/campaigns/${campaignId}/share-tree$`));
    await page.locator('#share-tree-page').waitFor();
    await page.goBack();
    await page.locator('#campaign-funnel-link').click();
    await page.waitForURL(new RegExp(`/admin/marketing/campaigns/${campaignId}/funnel$`));
    await page.locator('#funnel-page').waitFor();
    await page.goto(`${url}/admin/marketing/campaigns`);
    await expect.poll(() => page.locator('#campaign-table').innerText()).toContain('已完成');

    // A campaign for tomorrow: 启动 schedules it; 取消 (confirmed) ends it with nothing sent.
    const [segment] = (await api(url, '/api/v1/segments', { token: marketerToken })).items;
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const later = await api(url, '/api/v1/campaigns', {
      token: marketerToken,
      body: { name: '夏季预约', materialId: material.id, segmentId: segment.id, channels: ['mass'], scheduledAt: tomorrow },
    });
    await page.goto(`${url}/admin/marketing/campaigns/${later.id}`);
    await page.locator('#campaign-start').click();
    await page.locator('#campaign-start-confirm').click();
    await expect.poll(() => page.locator('#campaign-status').innerText()).toBe('已排期');
    await page.locator('#campaign-cancel').click();
    await page.locator('#campaign-cancel-confirm').click();
    await expect.poll(() => page.locator('#campaign-status').innerText()).toBe('已取消');
    expect((await sandboxMessages(url, 'kind=mass')).filter((item) => !item.payload.preview)).toHaveLength(2);

    expect(errors).toEqual([]);
    expect(await csp.violations()).toEqual([]);
    await context.close();
  }, 180_000);
});
