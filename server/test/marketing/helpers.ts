// Shared by the marketing tests: a real image upload, materials, segments and campaigns made
// through the API, and recipients (contacts with a WeChat user known to the sandbox).
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { Contact } from '../../src/modules/customers/contact.model.js';
import { WeChatIdentity, WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import type { Sandbox } from '../../src/wechat/sandbox/index.js';
import { call } from '../helpers/server.js';
import { unique } from '../helpers/factories.js';

/** A 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

export async function uploadImage(url: string, token: string): Promise<{ id: string; url: string }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'cover.png');
  const response = await fetch(`${url}/api/v1/uploads`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as { id: string; url: string };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body;
}

export async function createMaterialViaApi(server: { url: string }, token: string, body: Record<string, unknown>) {
  const response = await call(server.url, '/api/v1/materials', { token, body: { kind: 'article', title: unique('素材'), ...body } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; version: number; bodyHtml: string; title: string };
}

export async function createSegmentViaApi(server: { url: string }, token: string, rules: Record<string, unknown>) {
  const response = await call(server.url, '/api/v1/segments', { token, body: { name: unique('细分'), rules } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string };
}

export async function createCampaignViaApi(server: { url: string }, token: string, body: Record<string, unknown>) {
  const response = await call(server.url, '/api/v1/campaigns', { token, body: { name: unique('方案'), ...body } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; status: string };
}

export interface Recipient {
  contactId: string;
  openid: string;
  wechatUserId: string;
}

/**
 * `count` contacts of `customerId`, each verified by a WeChat user following the Official Account
 * (also registered in the sandbox). `inWindow`: they messaged within 48 h (customer-service window).
 */
export async function createRecipients(
  sandboxUrl: string | Sandbox,
  customerId: unknown,
  count: number,
  options: { tag?: string; inWindow?: boolean; following?: boolean; prefix?: string } = {},
): Promise<Recipient[]> {
  const prefix = options.prefix ?? unique('oRcpt');
  const following = options.following ?? true;
  const contacts = await Contact.insertMany(
    Array.from({ length: count }, (_, i) => ({ customerId, name: `客户联系人${i}`, phone: `138${String(i).padStart(8, '0')}`, tags: options.tag ? [options.tag] : [] })),
  );
  const now = new Date();
  const users = contacts.map((contact, i) => ({
    _id: randomUUID(),
    oaOpenid: `${prefix}${i}`,
    subscribed: following,
    subscribedAt: now,
    lastInteractionAt: options.inWindow ? now : null,
    contactId: String(contact._id),
  }));
  await WeChatUser.insertMany(users);
  // As the Official Account endpoint would have linked them (oa:<openid> → user).
  await WeChatIdentity.insertMany(users.map((user) => ({ _id: `oa:${user.oaOpenid}`, userId: user._id })));
  if (typeof sandboxUrl !== 'string') {
    // The sandbox object itself (in this process): no HTTP round trip per follower.
    for (const user of users) {
      sandboxUrl.registerUser({ openid: user.oaOpenid, subscribed: following });
      if (options.inWindow) sandboxUrl.recordInteraction(user.oaOpenid, 'message');
    }
  } else {
    const bulk = await call(sandboxUrl, '/oa/users/bulk', { body: { count, prefix, start: 0 } });
    expect(bulk.status).toBe(200);
    if (!following) for (let i = 0; i < count; i += 1) await call(sandboxUrl, '/oa/users', { body: { openid: `${prefix}${i}`, subscribed: false } });
    if (options.inWindow) for (let i = 0; i < count; i += 1) await call(sandboxUrl, '/oa/interactions', { body: { openid: `${prefix}${i}`, kind: 'message' } });
  }
  return users.map((user) => ({ contactId: user.contactId, openid: user.oaOpenid, wechatUserId: user._id }));
}
