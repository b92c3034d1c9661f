// 公众号消息 without scans: conversations and threads paged by key (following `nextCursor` gives the
// rows of page numbers, ties included); search by the verified contact's name or phone and by a
// message's text through search keys — written with the batch, built for older messages by the
// start-up migration, removed by the retention cleanup.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrateSearchTerms } from '../../src/db/migrations/search-terms.js';
import { SearchTerm } from '../../src/lib/search.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { resolveWeChatUser } from '../../src/modules/identity/wechat-user.service.js';
import { OaChatMessage, OaConversation } from '../../src/modules/official-account/oa-message.model.js';
import { deleteOldConversations } from '../../src/modules/official-account/oa-message.service.js';
import { flushConversationMessages } from '../../src/modules/official-account/oa-message.store.js';
import { flushMessageLog } from '../../src/wechat/oa/message-log.js';
import { adminToken, createContact, createCustomer, unique } from '../helpers/factories.js';
import { nextMsgId, pushXml, textMessage } from '../helpers/oa.js';
import { call, TEST_OA, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: string;
useTestServer(async (started) => {
  server = started;
  admin = await adminToken(started);
});

type Page = { items: Array<{ wechatUserId?: string; id?: string }>; total: number; nextCursor?: string | null };
async function get(path: string): Promise<Page> {
  const response = await call<Page>(server.url, `/api/v1/oa${path}`, { token: admin });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

async function says(openid: string, text: string) {
  expect((await pushXml(server.url, textMessage(openid, text, nextMsgId()), { token: TEST_OA.token, appid: TEST_OA.appid })).status).toBe(200);
  await flushMessageLog();
  await flushConversationMessages();
}

/** Follows nextCursor from page 1; the ids of every page, in order. */
async function byCursor(path: string, key: 'wechatUserId' | 'id', pageSize: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null | undefined;
  for (let page = 1; page <= 20; page += 1) {
    const body = await get(`${path}${path.includes('?') ? '&' : '?'}pageSize=${pageSize}&page=${page}${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...body.items.map((item) => item[key]!));
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return seen;
}

async function byNumber(path: string, key: 'wechatUserId' | 'id', pageSize: number, pages: number): Promise<string[]> {
  const seen: string[] = [];
  for (let page = 1; page <= pages; page += 1) seen.push(...(await get(`${path}${path.includes('?') ? '&' : '?'}pageSize=${pageSize}&page=${page}`)).items.map((item) => item[key]!));
  return seen;
}

describe('key paging', () => {
  const users: string[] = [];
  let threadUser = '';

  beforeAll(async () => {
    const base = Date.now() - 3_600_000;
    // 17 conversations in runs of equal times, each with its follower (the list names them by wechat user).
    for (let i = 0; i < 17; i += 1) {
      const openid = unique('oPage');
      const user = await WeChatUser.create({ _id: randomUUID(), oaOpenid: openid, subscribed: true });
      users.push(user._id);
      await OaConversation.create({ _id: openid, wechatUserId: user._id, lastAt: new Date(base + Math.floor(i / 3) * 1000), lastDirection: 'in', lastText: `消息${i}`, inCount: 1, intent: i % 2 === 0 });
    }
    // A thread of 23 messages, in runs of equal times.
    const openid = unique('oThread');
    threadUser = (await WeChatUser.create({ _id: randomUUID(), oaOpenid: openid, subscribed: true }))._id;
    await OaConversation.create({ _id: openid, wechatUserId: threadUser, lastAt: new Date(base - 86_400_000), lastDirection: 'in', lastText: '…', inCount: 23 });
    await OaChatMessage.insertMany(
      Array.from({ length: 23 }, (_, i) => ({ _id: `msg:page-${randomUUID()}`, openid, direction: 'in', msgType: 'text', content: `第${i}条`, at: new Date(base + Math.floor(i / 4) * 1000) })),
    );
  });

  it('conversations: following nextCursor gives the rows of page numbers, latest activity first', async () => {
    const numbered = await byNumber('/conversations', 'wechatUserId', 4, 6);
    expect(numbered).toHaveLength(18);
    expect(numbered.slice(0, 17).sort()).toEqual([...users].sort());
    expect(await byCursor('/conversations', 'wechatUserId', 4)).toEqual(numbered);
    // With a filter too.
    expect(await byCursor('/conversations?intent=1', 'wechatUserId', 2)).toEqual(await byNumber('/conversations?intent=1', 'wechatUserId', 2, 5));
  });

  it('a thread: the cursor leads to older messages, each page oldest first, each message once', async () => {
    const numbered = await byNumber(`/conversations/${threadUser}/messages`, 'id', 5, 5);
    const cursored = await byCursor(`/conversations/${threadUser}/messages`, 'id', 5);
    expect(cursored).toEqual(numbered);
    expect(new Set(cursored).size).toBe(23);
    const first = await get(`/conversations/${threadUser}/messages?pageSize=5`);
    expect(first.total).toBe(23);
  });

  it('refuses a cursor it did not make', async () => {
    const bad = Buffer.from('["s","x",0]').toString('base64url');
    for (const path of [`/conversations?cursor=${bad}`, `/conversations/${threadUser}/messages?cursor=${bad}`]) {
      const response = await call(server.url, `/api/v1/oa${path}`, { token: admin });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('CURSOR_INVALID');
    }
  });
});

describe('search by keys', () => {
  it('finds a conversation by the contact’s name or phone (however typed) and by the text written', async () => {
    const customer = await createCustomer({ name: unique('白鹭电器'), department: '' });
    const contact = await createContact(customer, { name: '欧阳海', phone: '13700137001' });
    const openid = unique('oFind');
    const user = await resolveWeChatUser('oa', openid);
    await WeChatUser.updateOne({ _id: user._id }, { $set: { contactId: String(contact._id) } });
    await says(openid, '请问净水器滤芯多久更换一次');
    const ids = async (q: string) => (await get(`/conversations?q=${encodeURIComponent(q)}`)).items.map((item) => item.wechatUserId);
    expect(await ids('欧阳')).toEqual([user._id]);
    expect(await ids('137 0013 7001')).toEqual([user._id]);
    expect(await ids('7001')).toContain(user._id);
    expect(await ids('滤芯多久')).toEqual([user._id]);
    expect(await ids('滤芯很久')).toEqual([]);
    // The text's keys are the message's, kept in search_terms.
    expect(await SearchTerm.countDocuments({ ref: { $regex: '^msg:' }, key: 'om:滤芯多久更换一次' })).toBe(1);
  });

  it('older messages (written without keys) are found after the start-up migration; the cleanup removes keys with messages', async () => {
    const openid = unique('oOld');
    const user = await WeChatUser.create({ _id: randomUUID(), oaOpenid: openid, subscribed: true });
    const id = `msg:old-${randomUUID()}`;
    const past = new Date(Date.now() - 200 * 86_400_000);
    await OaChatMessage.collection.insertOne({ _id: id as unknown as mongoose.Types.ObjectId, openid, direction: 'in', msgType: 'text', content: '旧版本写下的留言', intent: false, staffId: null, at: past });
    await OaConversation.create({ _id: openid, wechatUserId: user._id, lastAt: new Date(), lastDirection: 'in', lastText: '旧版本写下的留言', inCount: 1 });
    const find = async () => (await get(`/conversations?q=${encodeURIComponent('版本写下')}`)).items.map((item) => item.wechatUserId);
    expect(await find()).toEqual([]);
    // A database of the earlier key version: rebuilt once, the message's text included.
    await mongoose.connection.collection<{ _id: string }>('settings').updateOne({ _id: 'search-terms' }, { $set: { version: 1 } });
    expect((await migrateSearchTerms()).rebuilt).toBe(true);
    expect(await find()).toEqual([user._id]);
    expect((await migrateSearchTerms()).rebuilt).toBe(false);

    await deleteOldConversations(new Date(Date.now() - 180 * 86_400_000));
    expect(await SearchTerm.countDocuments({ ref: id })).toBe(0);
    expect(await find()).toEqual([]);
  });
});
