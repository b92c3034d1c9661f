// The Official Account endpoint in plain mode: verification, messages, events, retries, bad input.
import { describe, expect, it } from 'vitest';
import { buildInbound, messageXml } from '../../src/wechat/oa/inbound.js';
import { InboundMessage } from '../../src/wechat/oa/message.model.js';
import { flushMessageLog } from '../../src/wechat/oa/message-log.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { ADMIN_PASSWORD, call, errorOf, TEST_MP, TEST_OA, useTestServer, type TestServer } from '../helpers/server.js';
import { eventMessage, nextMsgId, nowSeconds, pushXml, textMessage } from '../helpers/oa.js';

let server: TestServer;
const plain = { token: TEST_OA.token, appid: TEST_OA.appid };
const push = (xml: string, tamper?: (query: Record<string, string>) => void) => pushXml(server.url, xml, plain, tamper);

useTestServer((started) => {
  server = started;
});

describe('URL verification (GET /wechat/oa)', () => {
  it('echoes echostr when the signature is right', async () => {
    const { query } = buildInbound('', plain);
    const response = await fetch(`${server.url}/wechat/oa?${new URLSearchParams({ ...query, echostr: '5837397520665436492' })}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('5837397520665436492');
  });

  it('answers 401 to a wrong signature', async () => {
    const { query } = buildInbound('', { ...plain, token: 'not-our-token' });
    const response = await fetch(`${server.url}/wechat/oa?${new URLSearchParams({ ...query, echostr: 'x' })}`);
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe('WECHAT_SIGNATURE_INVALID');
  });
});

describe('messages and events', () => {
  it('stores a text message and answers the default reply', async () => {
    const msgId = nextMsgId();
    const result = await push(textMessage('oUserText0001', '你好', msgId));
    expect(result.status).toBe(200);
    expect(result.reply).toMatchObject({ ToUserName: 'oUserText0001', FromUserName: 'gh_qiao0000001', MsgType: 'text' });
    expect(result.reply?.Content).toContain('消息已收到');
    await flushMessageLog(); // the log is written in batches, off the reply path
    const stored = await InboundMessage.findById(`msg:${msgId}`).lean();
    expect(stored).toMatchObject({ openid: 'oUserText0001', msgType: 'text', content: '你好', status: 'handled' });
  });

  it('follows: creates the user with the QR scene and replies the welcome with the self-service link', async () => {
    const result = await push(eventMessage('oUserFollow01', 'subscribe', 'qrscene_campaign42'));
    expect(result.status).toBe(200);
    expect(result.reply?.Content).toContain('欢迎关注');
    // The H5 link goes through web authorisation (logs the follower in as themselves); plus the mini-program.
    expect(result.reply?.Content).toMatch(/<a href="http:\/\/localhost:\d+\/api\/v1\/auth\/oauth\/start\?redirect=%2Fh5%2F">进入自助服务<\/a>/);
    expect(result.reply?.Content).toContain(`data-miniprogram-appid="${TEST_MP.appid}" data-miniprogram-path="pages/index/index"`);
    const user = await WeChatUser.findOne({ oaOpenid: 'oUserFollow01' }).lean();
    expect(user).toMatchObject({ subscribed: true, subscribeScene: 'campaign42' });
    expect(user?.sceneHistory).toHaveLength(1);
  });

  it('unfollow keeps the record; following again restores it', async () => {
    await push(eventMessage('oUserFollow02', 'subscribe', ''));
    const first = await WeChatUser.findOne({ oaOpenid: 'oUserFollow02' }).lean();
    const left = await push(eventMessage('oUserFollow02', 'unsubscribe', '', nowSeconds() + 1));
    expect(left.status).toBe(200);
    expect(left.raw).toBe('');
    const after = await WeChatUser.findOne({ oaOpenid: 'oUserFollow02' }).lean();
    expect(after).toMatchObject({ _id: first?._id, subscribed: false });
    expect(after?.unsubscribedAt).toBeInstanceOf(Date);
    await push(eventMessage('oUserFollow02', 'subscribe', '', nowSeconds() + 2));
    const back = await WeChatUser.findOne({ oaOpenid: 'oUserFollow02' }).lean();
    expect(back).toMatchObject({ _id: first?._id, subscribed: true, unsubscribedAt: null });
    expect(back?.firstSubscribedAt?.getTime()).toBe(first?.firstSubscribedAt?.getTime());
  });

  it('records the scene of a SCAN by an existing follower', async () => {
    await push(eventMessage('oUserScan0001', 'subscribe', ''));
    const result = await push(eventMessage('oUserScan0001', 'SCAN', 'engineer-7', nowSeconds() + 1));
    expect(result.status).toBe(200);
    const user = await WeChatUser.findOne({ oaOpenid: 'oUserScan0001' }).lean();
    expect(user?.sceneHistory.map((entry) => [entry.scene, entry.event])).toEqual([['engineer-7', 'scan']]);
  });

  it('answers keywords kept in the database: exact before contains, then the default', async () => {
    const login = await call(server.url, '/api/v1/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    const token = login.body.token as string;
    for (const rule of [
      { trigger: 'exact', keyword: '报修', reply: '请点击菜单“自助服务”提交报修。' },
      { trigger: 'contains', keyword: '发票', reply: '发票问题请联系财务：400-000-0000' },
      { trigger: 'click', keyword: 'MENU_HOTLINE', reply: '服务热线：400-000-0000' },
    ]) {
      expect((await call(server.url, '/api/v1/oa/auto-replies', { token, body: rule })).status).toBe(201);
    }
    expect((await push(textMessage('oUserKw000001', ' 报修 '))).reply?.Content).toBe('请点击菜单“自助服务”提交报修。');
    expect((await push(textMessage('oUserKw000001', '我想开发票可以吗'))).reply?.Content).toBe('发票问题请联系财务：400-000-0000');
    expect((await push(textMessage('oUserKw000001', '报修报修'))).reply?.Content).toContain('消息已收到');
    const click = await push(eventMessage('oUserKw000001', 'CLICK', 'MENU_HOTLINE'));
    expect(click.reply?.Content).toBe('服务热线：400-000-0000');
    const view = await push(eventMessage('oUserKw000001', 'VIEW', 'https://example.com/h5/', nowSeconds() + 5));
    expect(view.status).toBe(200);
    expect(view.raw).toBe('');
  });

  it('text containing ]]> cannot break the reply XML', async () => {
    const login = await call(server.url, '/api/v1/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    await call(server.url, '/api/v1/oa/auto-replies', {
      token: login.body.token,
      body: { trigger: 'exact', keyword: 'cdata', reply: 'a]]><ToUserName>evil</ToUserName>b' },
    });
    const msgId = nextMsgId();
    const result = await push(textMessage('oUserCdata001', 'cdata'), undefined);
    expect(result.reply?.Content).toBe('a]]><ToUserName>evil</ToUserName>b');
    expect(result.reply?.ToUserName).toBe('oUserCdata001');
    const hostile = await push(textMessage('oUserCdata001', ']]></Content><MsgType>news</MsgType><Content><![CDATA[', msgId));
    expect(hostile.status).toBe(200);
    expect(hostile.reply?.MsgType).toBe('text');
    await flushMessageLog(); // the log is written in batches, off the reply path
    expect((await InboundMessage.findById(`msg:${msgId}`).lean())?.content).toBe(']]></Content><MsgType>news</MsgType><Content><![CDATA[');
  });
});

describe('WeChat retries', () => {
  it('the same message three times: one stored record, the same reply', async () => {
    const xml = textMessage('oUserRetry001', '在吗');
    const replies = [];
    for (let i = 0; i < 3; i += 1) replies.push(await push(xml));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(replies.map((r) => r.reply?.Content)).size).toBe(1);
    await flushMessageLog(); // the log is written in batches, off the reply path
    expect(await InboundMessage.countDocuments({ openid: 'oUserRetry001' })).toBe(1);
  });

  it('an event retried concurrently is handled once (FromUserName + CreateTime)', async () => {
    const xml = eventMessage('oUserRetry002', 'subscribe', 'qrscene_expo2026');
    const replies = await Promise.all([push(xml), push(xml), push(xml)]);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(replies.map((r) => r.reply?.Content)).size).toBe(1);
    await flushMessageLog(); // the log is written in batches, off the reply path
    expect(await InboundMessage.countDocuments({ openid: 'oUserRetry002' })).toBe(1);
    const user = await WeChatUser.findOne({ oaOpenid: 'oUserRetry002' }).lean();
    expect(user?.sceneHistory).toHaveLength(1);
  });
});

describe('bad input', () => {
  it('bad signature → 401 and nothing stored', async () => {
    const before = await InboundMessage.countDocuments({});
    const result = await push(textMessage('oUserBad00001', 'hi'), (query) => {
      query.signature = '0'.repeat(40);
    });
    expect(result.status).toBe(401);
    expect(JSON.parse(result.raw).error.code).toBe('WECHAT_SIGNATURE_INVALID');
    await flushMessageLog(); // the log is written in batches, off the reply path
    expect(await InboundMessage.countDocuments({})).toBe(before);
  });

  it('stale or future timestamp → 401', async () => {
    for (const offset of [-301, 400]) {
      const { query, body } = buildInbound(textMessage('oUserBad00002', 'hi'), { ...plain, timestamp: nowSeconds() + offset });
      const response = await fetch(`${server.url}/wechat/oa?${new URLSearchParams(query)}`, { method: 'POST', body });
      expect(response.status).toBe(401);
      expect((await errorOf(response)).code).toBe('WECHAT_TIMESTAMP_EXPIRED');
    }
  });

  it('malformed XML → 400, not 500', async () => {
    for (const body of ['<xml><ToUserName>', 'not xml at all', '<xml><FromUserName><![CDATA[x]]></FromUserName></xml>']) {
      const { query } = buildInbound('', plain);
      const response = await fetch(`${server.url}/wechat/oa?${new URLSearchParams(query)}`, { method: 'POST', body });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).code).toMatch(/^WECHAT_(XML_MALFORMED|MESSAGE_INVALID)$/);
    }
  });

  it('body over 1 MB → 413', async () => {
    const { query } = buildInbound('', plain);
    const response = await fetch(`${server.url}/wechat/oa?${new URLSearchParams(query)}`, {
      method: 'POST',
      body: textMessage('oUserBig00001', 'x'.repeat(1024 * 1024 + 10)),
    });
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('an encrypted push to an endpoint without an AES key → 400', async () => {
    const result = await push(textMessage('oUserBad00003', 'hi'), (query) => {
      query.encrypt_type = 'aes';
      query.msg_signature = '0'.repeat(40);
    });
    expect(result.status).toBe(400);
  });

  it('a __proto__ element pollutes nothing', async () => {
    const xml = messageXml({ ToUserName: 'gh_qiao0000001', FromUserName: 'oUserProto001', CreateTime: nowSeconds(), MsgType: 'text', Content: 'hi', MsgId: nextMsgId() })
      .replace('</xml>', '<__proto__><polluted><![CDATA[yes]]></polluted></__proto__></xml>');
    const result = await push(xml);
    expect([200, 400]).toContain(result.status);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
