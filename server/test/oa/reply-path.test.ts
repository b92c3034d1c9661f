// What keeps the Official Account's reply path short stays correct: a message pushed twice at
// once is handled once; the auto-reply rules' copy is dropped on every write; lastInteractionAt,
// written in batches, is seen at once by whoever asks for the customer-service window, and is
// written before the message's claim is marked done (so a kill -9 cannot lose it: see
// interaction.service.ts).
import { describe, expect, it } from 'vitest';
import { attemptsOf } from '../../src/lib/once.js';
import { AutoReply } from '../../src/modules/official-account/auto-reply.model.js';
import { RULES_CACHE_MS } from '../../src/modules/official-account/auto-reply.service.js';
import { flushHandlerWrites } from '../../src/modules/official-account/message-handlers.js';
import { inCustomerServiceWindow, lastInteractionOf } from '../../src/modules/identity/interaction.service.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { flushMessageLog, handledMessage, useHandlerWrites } from '../../src/wechat/oa/message-log.js';
import { InboundMessage } from '../../src/wechat/oa/message.model.js';
import { adminToken } from '../helpers/factories.js';
import { nextMsgId, pushXml, textMessage } from '../helpers/oa.js';
import { call, TEST_OA, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: string;
const plain = { token: TEST_OA.token, appid: TEST_OA.appid };
const say = async (openid: string, text: string) => (await pushXml(server.url, textMessage(openid, text), plain)).reply?.Content ?? '';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

useTestServer(async (started) => {
  server = started;
  admin = await adminToken(server);
});

describe('messages pushed twice at once', () => {
  it('twenty messages each pushed twice at the same moment: each handled once, both answers the same', async () => {
    const msgIds = Array.from({ length: 20 }, () => nextMsgId());
    const xmls = msgIds.map((msgId, i) => textMessage(`oGroupTwice${String(i).padStart(3, '0')}`, '在吗', msgId));
    const results = await Promise.all([...xmls, ...xmls].map((xml) => pushXml(server.url, xml, plain)));
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    for (let i = 0; i < 20; i += 1) expect(results[i + 20]!.reply?.Content).toBe(results[i]!.reply?.Content);
    await flushMessageLog();
    for (let i = 0; i < 20; i += 1) {
      const openid = `oGroupTwice${String(i).padStart(3, '0')}`;
      expect(await InboundMessage.countDocuments({ openid })).toBe(1);
      // One attempt, done (its done mark is the handled log record): nobody took the message over.
      expect(await attemptsOf(`oa:msg:${msgIds[i]}`)).toHaveLength(1);
      expect((await handledMessage(`msg:${msgIds[i]}`))?.result).toBe(results[i]!.reply?.Content);
    }
  });
});

describe('auto-reply rules read from a copy', () => {
  it('a rule created, changed or deleted through the API answers the very next message', async () => {
    expect(await say('oCacheRules001', '营业时间')).toContain('消息已收到');
    const created = await call(server.url, '/api/v1/oa/auto-replies', { token: admin, body: { trigger: 'exact', keyword: '营业时间', reply: '每天 9:00–18:00' } });
    expect(created.status).toBe(201);
    expect(await say('oCacheRules001', '营业时间')).toBe('每天 9:00–18:00');
    const id = created.body.id as string;
    const changed = await call(server.url, `/api/v1/oa/auto-replies/${id}`, { method: 'PUT', token: admin, body: { trigger: 'exact', keyword: '营业时间', reply: '每天 8:30–20:00', enabled: true } });
    expect(changed.status).toBe(200);
    expect(await say('oCacheRules001', '营业时间')).toBe('每天 8:30–20:00');
    expect((await call(server.url, `/api/v1/oa/auto-replies/${id}`, { method: 'DELETE', token: admin })).status).toBe(204);
    expect(await say('oCacheRules001', '营业时间')).toContain('消息已收到');
  });

  it('a rule written by another process is answered within RULES_CACHE_MS', async () => {
    expect(await say('oCacheRules002', '发票抬头')).toContain('消息已收到');
    // As another process writes it: straight to the database, this process's copy is not told.
    await AutoReply.create({ trigger: 'exact', keyword: '发票抬头', reply: '请提供公司全称和税号', enabled: true });
    const written = Date.now();
    while ((await say('oCacheRules002', '发票抬头')) !== '请提供公司全称和税号') {
      expect(Date.now() - written).toBeLessThan(RULES_CACHE_MS + 1_000);
      await sleep(100);
    }
  });
});

describe('lastInteractionAt, written in batches', () => {
  it('the customer-service window is open right after a message, before any batch is written', async () => {
    const openid = 'oWindow000001';
    expect(await inCustomerServiceWindow(openid)).toBe(false);
    const before = Date.now();
    await say(openid, '你好');
    // Straight after the reply: the write may still be waiting for its batch.
    expect(await inCustomerServiceWindow(openid)).toBe(true);
    expect((await lastInteractionOf(openid))!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    await flushMessageLog();
    const stored = (await WeChatUser.findOne({ oaOpenid: openid }).lean())!.lastInteractionAt;
    expect(stored).toBeInstanceOf(Date);
    expect(stored!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('a later message moves it forward; an older one written late does not move it back', async () => {
    const openid = 'oWindow000002';
    await say(openid, '第一条');
    await flushMessageLog();
    const first = (await WeChatUser.findOne({ oaOpenid: openid }).lean())!.lastInteractionAt!;
    await sleep(1_100); // CreateTime has seconds
    await say(openid, '第二条');
    await flushMessageLog();
    const second = (await WeChatUser.findOne({ oaOpenid: openid }).lean())!.lastInteractionAt!;
    expect(second.getTime()).toBeGreaterThan(first.getTime());
    const { recordInteraction, flushInteractions } = await import('../../src/modules/identity/interaction.service.js');
    await recordInteraction(openid, first);
    await flushInteractions();
    expect((await WeChatUser.findOne({ oaOpenid: openid }).lean())!.lastInteractionAt!.getTime()).toBe(second.getTime());
  });

  it('a message counts as handled (its log record, the done mark, written) only once its interaction is stored', async () => {
    // Handler writes made slow: were the done mark written first, it would be seen without them.
    useHandlerWrites(async () => {
      await sleep(400);
      await flushHandlerWrites();
    });
    try {
      const openid = 'oWindowOrder01';
      const msgId = nextMsgId();
      expect((await pushXml(server.url, textMessage(openid, '你好', msgId), plain)).status).toBe(200);
      const deadline = Date.now() + 5_000;
      while (!(await handledMessage(`msg:${msgId}`))) {
        expect(Date.now()).toBeLessThan(deadline);
        await sleep(20);
      }
      expect((await WeChatUser.findOne({ oaOpenid: openid }).lean())?.lastInteractionAt).toBeInstanceOf(Date);
    } finally {
      useHandlerWrites(flushHandlerWrites);
    }
  });
});
