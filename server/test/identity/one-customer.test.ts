// One customer, whatever door they came in by: the verified contact owns the service requests, and
// every WeChat identity of the same person (Official Account openid, mini-program openid, unionid)
// ends on one record that keeps what came before — sessions made before a merge keep working.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VerificationRequest } from '../../src/modules/identity/verification-request.model.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { createContact, createCustomer, unique, uniquePhone } from '../helpers/factories.js';
import { eventMessage, nowSeconds, pushXml } from '../helpers/oa.js';
import { call, TEST_OA, useTestServer, type TestServer } from '../helpers/server.js';
import { webLogin } from '../helpers/web-auth.js';

let server: TestServer;
useTestServer((started) => {
  server = started;
});

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function mpLogin(openid: string, unionid?: string): Promise<{ token: string; id: string }> {
  const code = (await call(server.sandbox.url, '/mp/login-code', { body: { openid, ...(unionid ? { unionid } : {}) } })).body.code;
  const login = await call(server.url, '/api/v1/auth/mp-login', { body: { code } });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return { token: login.body.token, id: login.body.user.id };
}

/** The follower follows (WeChat pushes the event; a job asks WeChat for the unionid). */
async function follow(openid: string, unionid?: string, createTime = nowSeconds()) {
  server.sandbox.sandbox.registerUser({ openid, ...(unionid ? { unionid } : {}) });
  const pushed = await pushXml(server.url, eventMessage(openid, 'subscribe', '', createTime), { token: TEST_OA.token, appid: TEST_OA.appid });
  expect(pushed.status).toBe(200);
}

async function aContact() {
  const customer = await createCustomer();
  return createContact(customer, { phone: uniquePhone() });
}

async function verify(token: string, phone: string) {
  // One code per phone a minute: this person asks after the minute is over.
  await VerificationRequest.deleteMany({ phone });
  expect((await call(server.url, '/api/v1/me/verification/code', { token, body: { phone } })).status).toBe(200);
  const code = server.sandbox.sandbox.sms(phone).at(-1)?.code;
  const verified = await call(server.url, '/api/v1/me/verification', { token, body: { phone, code } });
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
}

async function submit(token: string, phone: string, description: string): Promise<string> {
  const created = await call(server.url, '/api/v1/feedbacks', {
    token,
    body: { clientRequestId: randomUUID(), type: 'repair', description, contactPhone: phone },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

const listed = async (token: string) => {
  const list = await call(server.url, '/api/v1/feedbacks', { token });
  expect(list.status, JSON.stringify(list.body)).toBe(200);
  return (list.body.items as Array<{ id: string }>).map((item) => item.id).sort();
};
const detailStatus = async (token: string, id: string) => (await call(server.url, `/api/v1/feedbacks/${id}`, { token })).status;

describe('one customer', () => {
  it('mini-program first, then follow: the follower logging in to H5 sees the requests made in the mini-program', async () => {
    const contact = await aContact();
    const unionid = unique('uMpFirst');
    const mp = await mpLogin(unique('oMpFirst'), unionid);
    await verify(mp.token, contact.phone);
    const request = await submit(mp.token, contact.phone, '空调不制冷');

    const oaOpenid = unique('oOaLater');
    await follow(oaOpenid, unionid);
    await until(() => WeChatUser.findById(mp.id).lean(), (user) => user?.oaOpenid === oaOpenid);

    const web = await webLogin(server, `oa:${oaOpenid}`);
    expect(web.user).toMatchObject({ id: mp.id, verified: true });
    expect(await listed(web.token)).toEqual([request]);
    expect(await detailStatus(web.token, request)).toBe(200);
    expect(await listed(mp.token)).toEqual([request]);
    expect(await WeChatUser.countDocuments({ unionid })).toBe(1);
  });

  it('follow first, mini-program later, unionid learnt later: the records merge and both sessions keep one history', async () => {
    const contact = await aContact();
    const oaOpenid = unique('oOaFirst');
    const createdAt = nowSeconds();
    await follow(oaOpenid, undefined, createdAt);
    const web = await webLogin(server, `oa:${oaOpenid}`);
    expect(web.user.unionid).toBeNull();
    await verify(web.token, contact.phone);
    const request = await submit(web.token, contact.phone, '热水器漏水');

    // The mini-program gives a unionid WeChat has not yet told the Official Account side about.
    const unionid = unique('uLater');
    const mp = await mpLogin(unique('oMpLater'), unionid);
    expect(mp.id).not.toBe(web.user.id);
    expect(await listed(mp.token)).toEqual([]);

    // WeChat now knows the follower's unionid (they follow again): the follower record is folded in.
    await follow(oaOpenid, unionid, createdAt + 30);
    const merged = await until(() => WeChatUser.findById(mp.id).lean(), (user) => user?.oaOpenid === oaOpenid);
    expect(merged).toMatchObject({ oaOpenid, unionid, contactId: String(contact._id), subscribed: true });
    expect(merged?.mergedIds).toContain(web.user.id);
    expect(await until(() => WeChatUser.findById(web.user.id).lean(), (gone) => gone === null)).toBeNull();

    expect(await listed(mp.token)).toEqual([request]);
    expect(await detailStatus(mp.token, request)).toBe(200);
    // The H5 session made before the merge still works, as the surviving record.
    const me = await call(server.url, '/api/v1/me', { token: web.token });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: mp.id, verified: true, followsOfficialAccount: true });
    expect(await listed(web.token)).toEqual([request]);
    // And logging in again through the Official Account lands on the same record.
    expect((await webLogin(server, `oa:${oaOpenid}`)).user.id).toBe(mp.id);
  });

  it('a second WeChat user verified as the same contact sees every request of that contact', async () => {
    const contact = await aContact();
    const first = await mpLogin(unique('oMpOne'));
    await verify(first.token, contact.phone);
    const fromFirst = await submit(first.token, contact.phone, '洗衣机异响');

    const followerOpenid = unique('oOaTwo');
    await follow(followerOpenid);
    const second = await webLogin(server, `oa:${followerOpenid}`);
    expect(second.user.id).not.toBe(first.id);
    expect(await listed(second.token)).toEqual([]);
    await verify(second.token, contact.phone);
    const fromSecond = await submit(second.token, contact.phone, '冰箱不制冷');

    const both = [fromFirst, fromSecond].sort();
    expect(await listed(first.token)).toEqual(both);
    expect(await listed(second.token)).toEqual(both);
    expect(await detailStatus(first.token, fromSecond)).toBe(200);
    expect(await detailStatus(second.token, fromFirst)).toBe(200);

    // Someone verified as another contact sees none of it.
    const stranger = await mpLogin(unique('oMpStranger'));
    await verify(stranger.token, (await aContact()).phone);
    expect(await listed(stranger.token)).toEqual([]);
    expect(await detailStatus(stranger.token, fromFirst)).toBe(404);

    // Unbinding ends the contact's view; what they submitted themselves stays theirs.
    expect((await call(server.url, '/api/v1/me/verification', { token: second.token, method: 'DELETE' })).status).toBe(200);
    expect(await listed(second.token)).toEqual([fromSecond]);
    expect(await detailStatus(second.token, fromFirst)).toBe(404);
  });
});
