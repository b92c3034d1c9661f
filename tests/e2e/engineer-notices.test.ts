// The engineer in the mini-program H5: allows dispatch notices (接收派工通知 → the sandbox's
// subscribe consent), receives the dispatch as a subscribe message, and checks in with the
// browser's location when recording a visit.
import { describe, expect, it } from 'vitest';
import { api, eventually, seedVerifiedCustomer, staffToken } from '../support/api.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';

const env = useE2eEnvironment();

const ENGINEER = { mpOpenid: 'oE2eNoticeEng001', phone: '13900139011' };

async function seedEngineer(url: string, admin: string) {
  const department = await api(url, '/api/v1/departments', { token: admin, body: { name: '服务三部' } });
  const engineer = await api(url, '/api/v1/staff', {
    token: admin,
    body: { username: 'liugong', name: '刘工', password: 'engineer-pass-2', role: 'engineer', department: department.id, phone: ENGINEER.phone, regions: ['杭州'], productLines: ['空调'] },
  });
  const invite = await api(url, `/api/v1/staff/${engineer.id}/invite-code`, { token: admin, method: 'POST' });
  const { code } = await api(url, '/sandbox/mp/login-code', { body: { openid: ENGINEER.mpOpenid } });
  const session = await api(url, '/api/v1/auth/mp-login', { body: { code } });
  await api(url, '/api/v1/me/staff-binding', { token: session.token, body: { inviteCode: invite.code } });
  return { engineer, token: session.token as string };
}

const subscribeMessages = async (url: string) =>
  (await api<{ items: Array<{ kind: string; payload: any }> }>(url, `/sandbox/messages?openid=${ENGINEER.mpOpenid}&kind=subscribe`)).items;

describe('engineer notices in the mini-program H5', () => {
  it('the engineer allows dispatch notices, receives the dispatch, and checks in with the browser location', async () => {
    const url = env.server.url;
    const admin = await staffToken(url, 'admin', ADMIN_PASSWORD);
    const { engineer, token } = await seedEngineer(url, admin);

    const { page, context } = await env.browser.newPage({ mobile: true });
    const errors = collectPageErrors(page);
    await context.grantPermissions(['geolocation'], { origin: url });
    await context.setGeolocation({ latitude: 30.2741, longitude: 120.1551 });

    // 我的工单: no consent yet, so the prompt is there; one tap = one 允许.
    await page.goto(`${url}/h5/?openid=${ENGINEER.mpOpenid}#/pages/engineer/orders`);
    await expect.poll(() => page.locator('#notice-consent-remaining').innerText()).toContain('目前收不到新的派工通知');
    await page.locator('#notice-consent-allow').click();
    await expect.poll(() => page.locator('#notice-consent-remaining').innerText()).toContain('还可接收 1 条');
    const states = await api(url, '/api/v1/me/subscriptions', { token });
    expect(states.items[0].remaining).toBe(1);

    // A customer's request is dispatched to them: the notice arrives as a subscribe message.
    const customer = await seedVerifiedCustomer(url, admin, { openid: 'oE2eNoticeCust01', phone: '13700000011', customerName: '杭州之江饭店' });
    const submitted = await api(url, '/api/v1/feedbacks', {
      token: customer.token,
      body: { clientRequestId: crypto.randomUUID(), type: 'repair', description: '空调不制冷，室内机漏水', contactPhone: '13700000011' },
    });
    await api(url, `/api/v1/feedbacks/${submitted.id}/dispatch`, { token: admin, body: { engineerId: engineer.id } });
    const received = await eventually(() => subscribeMessages(url), (items) => items.length >= 1);
    expect(received).toHaveLength(1);
    expect(received[0]!.payload.data.character_string1.value).toBe(submitted.number);
    expect(Object.keys(received[0]!.payload.data).sort()).toEqual(['character_string1', 'phone_number4', 'thing2', 'thing3', 'time5']);
    await expect.poll(async () => (await api(url, '/api/v1/me/subscriptions', { token })).items[0].remaining).toBe(0);

    // Accept: the natural moment to allow the next notice; then check in with the browser's location.
    await page.reload();
    await page.locator('#wo-tab-pending').click();
    await page.locator('.wo-card', { hasText: submitted.number }).click();
    await page.locator('#wo-accept').click();
    await page.locator('.wo-order #notice-consent').waitFor();
    await page.locator('#wo-visit').click();
    await page.locator('#visit-location').click();
    await expect.poll(() => page.locator('#visit-location-coords').innerText()).toContain('30.27410, 120.15510');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
