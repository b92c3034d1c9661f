// 公众号消息: followers' messages pushed as WeChat pushes them (signed XML), the conversation list
// and thread, the intent hint, customer-service replies through the sandbox's 48-hour window, the
// lead made from a conversation, retention and who may use it.
import { describe, expect, it } from 'vitest';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { resolveWeChatUser } from '../../src/modules/identity/wechat-user.service.js';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { leadInputSchema } from '@qiao/shared';
import { Lead } from '../../src/modules/leads/lead.model.js';
import { createLead } from '../../src/modules/leads/lead.service.js';
import { OaChatMessage, OaConversation } from '../../src/modules/official-account/oa-message.model.js';
import { deleteOldConversations } from '../../src/modules/official-account/oa-message.service.js';
import { flushConversationMessages, noteInboundMessage } from '../../src/modules/official-account/oa-message.store.js';
import { messageXml } from '../../src/wechat/oa/inbound.js';
import { flushMessageLog } from '../../src/wechat/oa/message-log.js';
import { adminToken, createContact, createCustomer, createStaffMember, unique } from '../helpers/factories.js';
import { nextMsgId, nowSeconds, pushXml, textMessage } from '../helpers/oa.js';
import { call, TEST_OA, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
/** The endpoint's batches, then the conversation record they started (written beside them). */
const flushAll = async () => {
  await flushMessageLog();
  await flushConversationMessages();
};
let admin: string;
const plain = { token: TEST_OA.token, appid: TEST_OA.appid };
const push = (xml: string) => pushXml(server.url, xml, plain);
const get = (path: string, token = admin) => call(server.url, `/api/v1/oa${path}`, { token });
const post = (path: string, body: unknown, token = admin, method = 'POST') => call(server.url, `/api/v1/oa${path}`, { token, body, method });

useTestServer(async (started) => {
  server = started;
  admin = await adminToken(started);
});

/** A follower writes `text`; the batch with the conversation record is written before we look. */
async function says(openid: string, text: string, msgId = nextMsgId()) {
  const result = await push(textMessage(openid, text, msgId));
  expect(result.status).toBe(200);
  await flushAll();
  return msgId;
}

async function userIdOf(openid: string): Promise<string> {
  const user = await WeChatUser.findOne({ oaOpenid: openid }).lean();
  expect(user, `no wechat user for ${openid}`).toBeTruthy();
  return user!._id;
}

async function conversationOf(openid: string, query = '') {
  const wechatUserId = await userIdOf(openid);
  const list = await get(`/conversations?pageSize=100${query}`);
  expect(list.status).toBe(200);
  return list.body.items.find((item: { wechatUserId: string }) => item.wechatUserId === wechatUserId);
}

describe('storing what followers write', () => {
  it('stores a retried message once, with the intent hint, and lists the conversation first', async () => {
    const openid = unique('oChat');
    const msgId = nextMsgId();
    const xml = textMessage(openid, '你好，我想了解一下你们的空调报价', msgId);
    // WeChat's retries, some of them concurrent, in this process.
    await Promise.all([push(xml), push(xml), push(xml)]);
    await push(xml);
    await flushAll();
    expect(await OaChatMessage.countDocuments({ openid })).toBe(1);
    expect(await OaChatMessage.findById(`msg:${msgId}`).lean()).toMatchObject({ direction: 'in', msgType: 'text', intent: true });

    const list = await get('/conversations');
    expect(list.body.items[0]).toMatchObject({
      wechatUserId: await userIdOf(openid),
      intent: true,
      unread: 1,
      lastMessage: { direction: 'in', content: '你好，我想了解一下你们的空调报价' },
      inServiceWindow: true,
      lead: null,
      contact: null,
    });
    expect(list.body.items[0].displayName).toMatch(/^微信用户 /);
  });

  it('is idempotent on its own: the same message written twice is stored and counted once', async () => {
    const openid = unique('oChat');
    await says(openid, '第一条');
    const msgId = nextMsgId();
    const message = { ToUserName: 'gh_qiao0000001', FromUserName: openid, CreateTime: String(nowSeconds()), MsgType: 'text', Content: '合作', MsgId: msgId };
    noteInboundMessage(message, new Date());
    await flushConversationMessages();
    noteInboundMessage(message, new Date());
    noteInboundMessage(message, new Date());
    await flushConversationMessages();
    expect(await OaChatMessage.countDocuments({ openid })).toBe(2);
    expect(await OaConversation.findById(openid).lean()).toMatchObject({ inCount: 2, intent: true, lastText: '合作' });
  });

  it('keeps other types as a placeholder, and events out of the thread', async () => {
    const openid = unique('oChat');
    const base = { ToUserName: 'gh_qiao0000001', FromUserName: openid, CreateTime: nowSeconds() };
    await push(messageXml({ ...base, MsgType: 'image', PicUrl: 'http://mmbiz.qpic.cn/x.jpg', MediaId: 'm1', MsgId: nextMsgId() }));
    await push(messageXml({ ...base, MsgType: 'location', Location_X: '30.27', Location_Y: '120.15', Scale: '15', Label: '杭州市西湖区文三路', MsgId: nextMsgId() }));
    await push(messageXml({ ...base, MsgType: 'event', Event: 'CLICK', EventKey: 'SERVICE' }));
    await flushAll();
    const thread = await get(`/conversations/${await userIdOf(openid)}/messages`);
    expect(thread.status).toBe(200);
    expect(thread.body.items.map((m: { content: string }) => m.content)).toEqual(['[图片]', '[位置] 杭州市西湖区文三路']);
    expect((await conversationOf(openid)).intent).toBe(false);
  });

  it('flags a conversation once one message shows intent; the list filters by it', async () => {
    const openid = unique('oChat');
    await says(openid, '在吗');
    expect((await conversationOf(openid)).intent).toBe(false);
    expect(await conversationOf(openid, '&intent=1')).toBeUndefined();
    await says(openid, '多少钱一台？');
    await says(openid, '好的');
    expect(await conversationOf(openid, '&intent=1')).toMatchObject({ intent: true, unread: 3, lastMessage: { content: '好的' } });
  });
});

describe('the thread', () => {
  it('pages newest first, each page oldest first; opening the conversation marks it read', async () => {
    const openid = unique('oChat');
    for (const text of ['一', '二', '三', '四', '五']) await says(openid, text);
    const id = await userIdOf(openid);
    const first = await get(`/conversations/${id}/messages?pageSize=2`);
    expect(first.body).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(first.body.items.map((m: { content: string }) => m.content)).toEqual(['四', '五']);
    const third = await get(`/conversations/${id}/messages?pageSize=2&page=3`);
    expect(third.body.items.map((m: { content: string }) => m.content)).toEqual(['一']);

    expect((await conversationOf(openid)).unread).toBe(5);
    const detail = await get(`/conversations/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ unread: 5, leads: [] });
    expect((await conversationOf(openid)).unread).toBe(0);
    await says(openid, '六');
    expect((await conversationOf(openid)).unread).toBe(1);
  });

  it('answers 404 for someone who never wrote, and 400 for a malformed id', async () => {
    expect((await get('/conversations/no-such-user/messages')).status).toBe(404);
    expect((await get('/conversations/no-such-user')).body.error.code).toBe('OA_CONVERSATION_NOT_FOUND');
    expect((await get('/conversations/bad%24id/messages')).status).toBe(400);
  });
});

describe('the verified contact', () => {
  it('names the conversation after the contact, with their customer; the phone only for whoever may see the customer', async () => {
    const customer = await createCustomer({ name: unique('蓝鲸科技'), department: '' });
    const contact = await createContact(customer, { name: '王经理', phone: '13800138000' });
    const openid = unique('oChat');
    const user = await resolveWeChatUser('oa', openid);
    await WeChatUser.updateOne({ _id: user._id }, { $set: { contactId: String(contact._id) } });
    await says(openid, '我要采购一批');

    const seen = await conversationOf(openid);
    expect(seen).toMatchObject({ displayName: '王经理', contact: { name: '王经理', phone: '13800138000', phoneMasked: false }, customer: { name: customer.name } });

    const sales = await createStaffMember('sales', { department: null });
    const masked = (await get('/conversations?pageSize=100', sales.token)).body.items.find((c: { wechatUserId: string }) => c.wechatUserId === user._id);
    expect(masked.contact).toMatchObject({ phone: '138****8000', phoneMasked: true });
    await Customer.updateOne({ _id: customer._id }, { $set: { ownerId: sales.id } });
    const owned = (await get('/conversations?pageSize=100', sales.token)).body.items.find((c: { wechatUserId: string }) => c.wechatUserId === user._id);
    expect(owned.contact).toMatchObject({ phone: '13800138000', phoneMasked: false });

    // Search by the contact's name and by what was written.
    const byName = await get('/conversations?q=王经理');
    expect(byName.body.items.map((c: { wechatUserId: string }) => c.wechatUserId)).toContain(user._id);
    const byText = await get(`/conversations?q=${encodeURIComponent('采购一批')}`);
    expect(byText.body.items.map((c: { wechatUserId: string }) => c.wechatUserId)).toEqual([user._id]);
    expect((await get(`/conversations?q=${encodeURIComponent('没有人写过这句话')}`)).body).toMatchObject({ items: [], total: 0 });
  });
});

describe('replies (客服消息)', () => {
  it('sends inside the 48-hour window and shows the reply in the thread; WeChat allows 5 per message', async () => {
    const openid = unique('oChat');
    server.sandbox.sandbox.registerUser({ openid, subscribed: true });
    server.sandbox.sandbox.recordInteraction(openid, 'message');
    await says(openid, '请问怎么报修？');
    const id = await userIdOf(openid);
    const sent = await post(`/conversations/${id}/reply`, { text: '您好，点击菜单“服务 › 自助服务”即可报修。' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body).toMatchObject({ direction: 'out', content: '您好，点击菜单“服务 › 自助服务”即可报修。', staffName: expect.any(String) });
    const delivered = server.sandbox.sandbox.sent({ openid, kind: 'custom' });
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.payload).toMatchObject({ msgtype: 'text', text: { content: '您好，点击菜单“服务 › 自助服务”即可报修。' } });

    const thread = await get(`/conversations/${id}/messages`);
    expect(thread.body.items.map((m: { direction: string }) => m.direction)).toEqual(['in', 'out']);
    expect(await conversationOf(openid)).toMatchObject({ unread: 0, lastMessage: { direction: 'out' } });

    for (let i = 2; i <= 5; i += 1) expect((await post(`/conversations/${id}/reply`, { text: `第 ${i} 条` })).status).toBe(201);
    const sixth = await post(`/conversations/${id}/reply`, { text: '第 6 条' });
    expect(sixth.status).toBe(409);
    expect(sixth.body.error.code).toBe('SERVICE_WINDOW_QUOTA');
    expect(await OaChatMessage.countDocuments({ openid, direction: 'out' })).toBe(5);
  });

  it('refuses outside the window (409 OUTSIDE_SERVICE_WINDOW) without calling WeChat', async () => {
    const openid = unique('oChat');
    server.sandbox.sandbox.registerUser({ openid, subscribed: true });
    server.sandbox.sandbox.recordInteraction(openid, 'message');
    await says(openid, '你好');
    const id = await userIdOf(openid);
    const old = new Date(Date.now() - 49 * 3600_000);
    await WeChatUser.updateOne({ _id: id }, { $set: { lastInteractionAt: old } });
    await OaConversation.updateOne({ _id: openid }, { $set: { lastInboundAt: old } });
    expect((await conversationOf(openid)).inServiceWindow).toBe(false);
    const before = server.sandbox.sandbox.calls().length;
    const refused = await post(`/conversations/${id}/reply`, { text: '您好' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('OUTSIDE_SERVICE_WINDOW');
    expect(refused.body.error.message).toContain('48 小时');
    expect(server.sandbox.sandbox.calls().slice(before).filter((c) => c.path.endsWith('/message/custom/send'))).toEqual([]);
  });

  it('answers 409 OUTSIDE_SERVICE_WINDOW when WeChat says 45015 (it knows better: e.g. unfollowed)', async () => {
    const openid = unique('oChat');
    server.sandbox.sandbox.registerUser({ openid, subscribed: false });
    await says(openid, '你好');
    const refused = await post(`/conversations/${await userIdOf(openid)}/reply`, { text: '您好' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('OUTSIDE_SERVICE_WINDOW');
    expect(await OaChatMessage.countDocuments({ openid, direction: 'out' })).toBe(0);
  });

  it('checks the text', async () => {
    const openid = unique('oChat');
    await says(openid, '你好');
    const id = await userIdOf(openid);
    expect((await post(`/conversations/${id}/reply`, { text: 'x'.repeat(601) })).status).toBe(400);
    expect((await post(`/conversations/${id}/reply`, { text: '  ' })).status).toBe(400);
    expect((await post(`/conversations/${id}/reply`, { text: 'hi', extra: 1 })).status).toBe(400);
  });
});

describe('转为线索', () => {
  it('marks the lead made from the conversation; the list and the detail show it', async () => {
    const openid = unique('oChat');
    await says(openid, '想了解一下试用');
    const id = await userIdOf(openid);
    // What the console's 转为线索 posts (POST /leads with the follower): the lead is theirs.
    const sales = await createStaffMember('sales');
    const viewer = { kind: 'staff' as const, staffId: sales.id, role: 'sales' as const, department: sales.doc.department ?? null, sessionId: 'test' };
    const { lead } = await createLead(viewer, leadInputSchema.parse({ name: '微信用户', notes: '想了解一下试用', wechatUserId: id }));
    expect(lead).toMatchObject({ source: 'official-account', wechatUserId: id });
    const marked = await post(`/conversations/${id}/lead`, { leadId: lead.id }, sales.token, 'PUT');
    expect(marked.status, JSON.stringify(marked.body)).toBe(200);
    expect(marked.body.lead).toMatchObject({ id: lead.id, status: 'assigned' });
    expect(marked.body.leads).toHaveLength(1);
    expect((await conversationOf(openid)).lead).toMatchObject({ id: lead.id });

    const other = await Lead.create({ name: '别人', source: 'manual' });
    const wrong = await post(`/conversations/${id}/lead`, { leadId: String(other._id) }, admin, 'PUT');
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.code).toBe('LEAD_NOT_FROM_CONVERSATION');
    expect((await post(`/conversations/${id}/lead`, { leadId: '0'.repeat(24) }, admin, 'PUT')).status).toBe(404);
  });

  it('finds a lead made from the conversation that was never marked on it', async () => {
    const openid = unique('oChat');
    await says(openid, '咨询一下');
    const id = await userIdOf(openid);
    const lead = await Lead.create({ name: '微信用户', source: 'official-account', wechatUserId: id });
    expect((await conversationOf(openid)).lead).toBeNull();
    const detail = await get(`/conversations/${id}`);
    expect(detail.body.lead).toMatchObject({ id: String(lead._id) });
    expect((await conversationOf(openid)).lead).toMatchObject({ id: String(lead._id) });
  });
});

describe('who may', () => {
  it('admin, manager, marketer and sales read, reply and mark leads; dispatchers and engineers get 403', async () => {
    const openid = unique('oChat');
    await says(openid, '你好');
    const id = await userIdOf(openid);
    for (const role of ['manager', 'marketer', 'sales'] as const) {
      const { token } = await createStaffMember(role);
      expect((await get('/conversations', token)).status, role).toBe(200);
      expect((await get(`/conversations/${id}/messages`, token)).status, role).toBe(200);
    }
    for (const role of ['dispatcher', 'engineer'] as const) {
      const { token } = await createStaffMember(role);
      expect((await get('/conversations', token)).status, role).toBe(403);
      expect((await get(`/conversations/${id}`, token)).status, role).toBe(403);
      expect((await get(`/conversations/${id}/messages`, token)).status, role).toBe(403);
      expect((await post(`/conversations/${id}/reply`, { text: '您好' }, token)).status, role).toBe(403);
      expect((await post(`/conversations/${id}/lead`, { leadId: '0'.repeat(24) }, token, 'PUT')).status, role).toBe(403);
    }
    expect((await call(server.url, '/api/v1/oa/conversations')).status).toBe(401);
  });
});

describe('retention', () => {
  it('the daily cleanup deletes messages and conversations past the cutoff, and nothing newer', async () => {
    const oldOpenid = unique('oChat');
    const newOpenid = unique('oChat');
    await says(oldOpenid, '很久以前');
    await says(newOpenid, '最近');
    const past = new Date(Date.now() - 181 * 86_400_000);
    await OaChatMessage.updateMany({ openid: oldOpenid }, { $set: { at: past } });
    await OaConversation.updateOne({ _id: oldOpenid }, { $set: { lastAt: past } });
    const removed = await deleteOldConversations(new Date(Date.now() - 180 * 86_400_000));
    expect(removed).toMatchObject({ messages: 1, conversations: 1 });
    expect(await OaChatMessage.countDocuments({ openid: oldOpenid })).toBe(0);
    expect(await OaConversation.findById(oldOpenid).lean()).toBeNull();
    expect(await OaChatMessage.countDocuments({ openid: newOpenid })).toBe(1);
  });
});
