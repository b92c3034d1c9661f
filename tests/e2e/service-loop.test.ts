// The heart of the product, end to end, three people at once: a customer in the mini-program H5
// reports a broken device, a dispatcher in the console sends an engineer, the engineer does the
// work in the mini-program H5, the customer follows it and rates it, the dispatcher sees the
// follow-up. WeChat notifications are read back from the sandbox.
import { describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS } from '../../server/src/config.js';
import { buildInbound, messageXml } from '../../server/src/wechat/oa/inbound.js';
import { api, eventually, staffToken, TINY_PNG } from '../support/api.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';
import { watchCsp } from './csp.js';

const env = useE2eEnvironment();

const CUSTOMER = { mpOpenid: 'oE2eLoopCustMp01', oaOpenid: 'oE2eLoopCustOa01', unionid: 'uE2eLoopCust0001', phone: '13800138000' };
const ENGINEER = { mpOpenid: 'oE2eLoopEngMp001', username: 'zhanggong', password: 'engineer-pass-1', phone: '13900139000' };
const DISPATCHER = { username: 'wangdd', password: 'dispatcher-pass-1' };

/** Company data a dispatcher would have entered: customer, contact, device, engineer, dispatcher. */
async function seedCompany(url: string) {
  const admin = await staffToken(url, 'admin', ADMIN_PASSWORD);
  const department = await api(url, '/api/v1/departments', { token: admin, body: { name: '服务部' } });
  const customer = await api(url, '/api/v1/customers', { token: admin, body: { name: '杭州西湖酒店', region: '杭州', department: department.id } });
  await api(url, '/api/v1/contacts', { token: admin, body: { customerId: customer.id, name: '李经理', phone: CUSTOMER.phone } });
  const product = await api(url, '/api/v1/products', {
    token: admin,
    body: { serialNumber: 'SN-AC-0001', model: 'KFR-72LW', productLine: '空调', customerId: customer.id, installedAt: '2025-06-01', warrantyEndsAt: '2027-06-01' },
  });
  const engineer = await api(url, '/api/v1/staff', {
    token: admin,
    body: { username: ENGINEER.username, name: '张工', password: ENGINEER.password, role: 'engineer', department: department.id, phone: ENGINEER.phone, regions: ['杭州'], productLines: ['空调'] },
  });
  await api(url, '/api/v1/staff', {
    token: admin,
    body: { username: DISPATCHER.username, name: '王调度', password: DISPATCHER.password, role: 'dispatcher', department: department.id },
  });
  // The engineer binds their WeChat in the mini-program with an invite code from the console.
  const invite = await api(url, `/api/v1/staff/${engineer.id}/invite-code`, { token: admin, method: 'POST' });
  const { code } = await api(url, '/sandbox/mp/login-code', { body: { openid: ENGINEER.mpOpenid } });
  const session = await api(url, '/api/v1/auth/mp-login', { body: { code } });
  await api(url, '/api/v1/me/staff-binding', { token: session.token, body: { inviteCode: invite.code } });
  // …and has allowed one dispatch notice (WeChat delivers a subscribe message only after 允许).
  const { items } = await api<{ items: Array<{ templateId: string }> }>(url, '/api/v1/me/subscriptions', { token: session.token });
  await api(url, '/sandbox/mp/subscribe-consent', { body: { openid: ENGINEER.mpOpenid, templateIds: items.map((item) => item.templateId) } });
  for (const { templateId } of items) await api(url, '/api/v1/me/subscriptions', { token: session.token, body: { templateId, accepted: true } });
  return { customer, product, engineer };
}

/** The customer follows the Official Account (as WeChat pushes it), so they can get template messages. */
async function followOfficialAccount(url: string) {
  await api(url, '/sandbox/oa/users', { body: { openid: CUSTOMER.oaOpenid, unionid: CUSTOMER.unionid } });
  const xml = messageXml({ ToUserName: 'gh_qiao', FromUserName: CUSTOMER.oaOpenid, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'event', Event: 'subscribe', EventKey: '' });
  const { query, body } = buildInbound(xml, { token: SANDBOX_CREDENTIALS.oa.token, appid: SANDBOX_CREDENTIALS.oa.appid });
  const response = await fetch(`${url}/wechat/oa?${new URLSearchParams(query)}`, { method: 'POST', body });
  expect(response.status).toBe(200);
}

const sentTo = async (url: string, openid: string) =>
  (await api<{ items: Array<{ kind: string; payload: any }> }>(url, `/sandbox/messages?openid=${openid}`)).items;

describe('customer self-service loop', () => {
  it('report → dispatch → accept → visit → complete → track → rate → follow-up', async () => {
    const url = env.server.url;
    const { product, engineer } = await seedCompany(url);
    await followOfficialAccount(url);

    const customerTab = await env.browser.newPage({ mobile: true });
    const dispatcherTab = await env.browser.newPage();
    const engineerTab = await env.browser.newPage({ mobile: true });
    const errors = [customerTab, dispatcherTab, engineerTab].flatMap(({ page }) => collectPageErrors(page));
    const csp = await Promise.all([customerTab, dispatcherTab, engineerTab].map(({ page }) => watchCsp(page)));
    const customer = customerTab.page;
    const dispatcher = dispatcherTab.page;
    const engineerPage = engineerTab.page;

    // — Customer: log in, verify with the SMS code from the sandbox, submit a request with a photo.
    await customer.goto(`${url}/h5/?openid=${CUSTOMER.mpOpenid}&unionid=${CUSTOMER.unionid}#/pages/verify/index`);
    await customer.locator('#verify-phone input').fill(CUSTOMER.phone);
    await customer.locator('#verify-send').click();
    const sms = await eventually(
      () => api<{ items: Array<{ code: string }> }>(url, `/sandbox/sms?phone=${CUSTOMER.phone}`),
      (inbox) => inbox.items.length > 0,
    );
    await customer.locator('#verify-code input').fill(sms.items.at(-1)!.code);
    await customer.locator('#verify-submit').click();
    await expect.poll(() => customer.locator('#verify-success').innerText()).toContain('李经理');

    await customer.goto(`${url}/h5/?openid=${CUSTOMER.mpOpenid}&unionid=${CUSTOMER.unionid}#/pages/feedback/new`);
    await customer.locator(`#fb-device-${product.id}`).click();
    await customer.locator('#fb-type-repair').click();
    await customer.locator('#fb-description textarea').fill('空调外机异响，制冷效果差');
    await customer.locator('#fb-photo-input').setInputFiles({ name: 'noise.png', mimeType: 'image/png', buffer: TINY_PNG });
    await expect.poll(() => customer.locator('.fb-photo').count()).toBe(1);
    // Submitting while a photo is still uploading only shows a toast: wait for the upload, as a person would.
    await expect.poll(() => customer.locator('.photos__mask--uploading').count()).toBe(0);
    await customer.locator('#fb-submit').click();
    const number = (await customer.locator('#fb-result').innerText({ timeout: 20_000 })).match(/FW\d{8}-\d{4}/)?.[0];
    expect(number).toBeTruthy();

    // — Dispatcher: find it in the console and dispatch it to the suggested engineer.
    await dispatcher.goto(`${url}/admin/login`);
    await dispatcher.fill('#login-username', DISPATCHER.username);
    await dispatcher.fill('#login-password', DISPATCHER.password);
    await dispatcher.click('#login-submit');
    await dispatcher.locator('#app-shell').waitFor();
    await dispatcher.goto(`${url}/admin/service/requests`);
    await dispatcher.locator('#feedback-table a.feedback-number', { hasText: number! }).click();
    await dispatcher.locator('#feedback-detail').waitFor();
    await dispatcher.locator('#action-dispatch').click();
    const pick = dispatcher.locator(`#dispatch-modal .dispatch-to[data-engineer-id="${engineer.id}"]`);
    await pick.click();
    await expect.poll(() => pick.innerText()).toContain('已选择');
    await dispatcher.locator('#dispatch-confirm').click();
    await expect.poll(() => dispatcher.locator('#feedback-status').innerText()).toContain('已派工');

    // — Engineer: accept, record a visit with a part and a charge, complete.
    await engineerPage.goto(`${url}/h5/?openid=${ENGINEER.mpOpenid}#/pages/engineer/orders`);
    await engineerPage.locator('#wo-tab-pending').click();
    await engineerPage.locator('.wo-card', { hasText: number! }).click();
    await engineerPage.locator('#wo-accept').click();
    await engineerPage.locator('#wo-visit').waitFor();
    await engineerPage.locator('#wo-visit').click();
    await engineerPage.locator('#visit-customer-note textarea').fill('更换风扇电机，已恢复正常制冷');
    await engineerPage.locator('#visit-internal-note textarea').fill('电机轴承磨损');
    await engineerPage.locator('#visit-part-add').click();
    await engineerPage.locator('#visit-part-name-0 input').fill('风扇电机');
    await engineerPage.locator('#visit-part-model-0 input').fill('YDK-35');
    await engineerPage.locator('#visit-part-qty-0 input').fill('1');
    await engineerPage.locator('#visit-charge-add').click();
    await engineerPage.locator('#visit-charge-item-0 input').fill('上门服务费');
    await engineerPage.locator('#visit-charge-amount-0 input').fill('80');
    await engineerPage.locator('#visit-submit').click();
    await engineerPage.locator('#wo-complete').click();
    await expect.poll(async () => (await engineerPage.locator('body').innerText()).includes('已完成'), { timeout: 20_000 }).toBe(true);

    // — Customer: the timeline shows who came and what was done; rate 2 stars.
    const detail = await api(url, `/api/v1/feedbacks?page=1&pageSize=5`, {
      token: (await api(url, '/api/v1/auth/mp-login', { body: { code: (await api(url, '/sandbox/mp/login-code', { body: { openid: CUSTOMER.mpOpenid, unionid: CUSTOMER.unionid } })).code } })).token,
    });
    const feedbackId = detail.items[0].id as string;
    await customer.goto(`${url}/h5/?openid=${CUSTOMER.mpOpenid}&unionid=${CUSTOMER.unionid}#/pages/feedback/detail?id=${feedbackId}`);
    await expect.poll(() => customer.locator('#fd-status').innerText()).toContain('已完成');
    const timeline = await customer.locator('#fd-timeline').innerText();
    for (const step of ['张工', '已接单', '更换风扇电机，已恢复正常制冷']) expect(timeline).toContain(step);
    expect(timeline).not.toContain('电机轴承磨损');
    expect(await customer.locator('#fd-engineer-phone').innerText()).toContain(ENGINEER.phone);
    for (const row of ['timeliness', 'attitude', 'quality']) await customer.locator(`#rate-${row}-2`).click();
    await customer.locator('#rate-comment textarea').fill('来得太晚了');
    await customer.locator('#rate-submit').click();
    await customer.locator('#fd-rating').waitFor();

    // — Dispatcher: the low rating opened a follow-up.
    await dispatcher.goto(`${url}/admin/service/follow-ups`);
    await expect.poll(() => dispatcher.locator('#follow-up-table').innerText()).toContain(number!);

    // — What WeChat would have delivered to each person: the customer a service-status template
    //   message at dispatch, acceptance and completion (with the request number); the engineer a
    //   mini-program subscribe message for the dispatch.
    const phrases = (items: Array<{ kind: string; payload: any }>) =>
      items.filter((m) => m.kind === 'template' && m.payload.data?.character_string1?.value === number).map((m) => m.payload.data.phrase3?.value);
    const toCustomer = await eventually(() => sentTo(url, CUSTOMER.oaOpenid), (items) => phrases(items).length >= 3);
    expect(phrases(toCustomer)).toEqual(expect.arrayContaining(['已派工', '已接单', '已完成']));
    const toEngineer = await eventually(() => sentTo(url, ENGINEER.mpOpenid), (items) => items.some((m) => m.kind === 'subscribe'));
    const dispatchNotice = toEngineer.find((m) => m.kind === 'subscribe');
    expect(JSON.stringify(dispatchNotice?.payload)).toContain(number!);
    expect(errors).toEqual([]);
    // Photos picked, uploaded and shown, under the pages' Content-Security-Policy.
    expect((await Promise.all(csp.map((watch) => watch.violations()))).flat()).toEqual([]);
  }, 180_000);
});
