// A follower writing several messages in a row: their lastInteractionAt and their conversation
// (公众号消息) are written once per few seconds, not once per message (each is a read and a write
// on FerretDB) — the message itself, its thread entry and its done mark are not held back; what
// waits is written within the coalescing time, at once by a full flush (shutdown), and never
// written over a later console reply.
import { describe, expect, it } from 'vitest';
import { flushInteractions, INTERACTION_COALESCE_MS, lastInteractionOf } from '../../src/modules/identity/interaction.service.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { OaChatMessage, OaConversation } from '../../src/modules/official-account/oa-message.model.js';
import { CONVERSATION_COALESCE_MS, flushConversationMessages, storeReply } from '../../src/modules/official-account/oa-message.store.js';
import { flushMessageLog, handledMessage } from '../../src/wechat/oa/message-log.js';
import { nextMsgId, pushXml, textMessage } from '../helpers/oa.js';
import { TEST_OA, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const plain = { token: TEST_OA.token, appid: TEST_OA.appid };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

useTestServer(async (started) => {
  server = started;
});

async function say(openid: string, text: string, msgId = nextMsgId()): Promise<string> {
  expect((await pushXml(server.url, textMessage(openid, text, msgId), plain)).status).toBe(200);
  return msgId;
}

const storedUser = (openid: string) => WeChatUser.findOne({ oaOpenid: openid }).lean();
const conversation = (openid: string) => OaConversation.findById(openid).lean();

/** The first message of a follower is written by the batches on their own (nothing waits). */
async function firstMessageWritten(openid: string): Promise<Date> {
  await say(openid, '第一条');
  await expect.poll(async () => (await conversation(openid))?.inCount, { timeout: 3_000 }).toBe(1);
  await expect.poll(async () => (await storedUser(openid))?.lastInteractionAt, { timeout: 3_000 }).toBeInstanceOf(Date);
  return (await storedUser(openid))!.lastInteractionAt!;
}

describe('a follower writing messages in a row', () => {
  it('the second message moves lastInteractionAt and the conversation only after the coalescing time; the thread and the done mark at once', async () => {
    const openid = 'oCoalesce0001';
    const first = await firstMessageWritten(openid);
    const sent = Date.now();
    const msgId = await say(openid, '第二条');
    // The batches' own flushes (due writes only), awaited here rather than waited for.
    await flushConversationMessages({ due: true });
    await flushInteractions({ due: true });
    await expect.poll(async () => Boolean(await handledMessage(`msg:${msgId}`)), { timeout: 3_000 }).toBe(true);
    expect(await OaChatMessage.countDocuments({ openid })).toBe(2);
    // This process answers the customer-service window from what it noted.
    expect((await lastInteractionOf(openid))!.getTime()).toBeGreaterThan(first.getTime());
    const waited = Date.now() - sent;
    // (On a machine stalled past the coalescing time the writes may rightly have happened already.)
    if (waited < Math.min(INTERACTION_COALESCE_MS, CONVERSATION_COALESCE_MS) - 500) {
      expect((await storedUser(openid))!.lastInteractionAt!.getTime()).toBe(first.getTime());
      expect((await conversation(openid))!.inCount).toBe(1);
      expect((await conversation(openid))!.lastText).toBe('第一条');
    }
    // Within the coalescing time, by their own timers.
    const within = { timeout: Math.max(INTERACTION_COALESCE_MS, CONVERSATION_COALESCE_MS) + 3_000, interval: 200 };
    await expect.poll(async () => (await storedUser(openid))!.lastInteractionAt!.getTime(), within).toBeGreaterThan(first.getTime());
    await expect.poll(async () => (await conversation(openid))!.inCount, within).toBe(2);
    expect((await conversation(openid))!.lastText).toBe('第二条');
  });

  it('ten messages in a row are one write of each, and a full flush (shutdown) writes what waits at once', async () => {
    const openid = 'oCoalesce0002';
    await firstMessageWritten(openid);
    for (let i = 0; i < 10; i += 1) await say(openid, `消息${i}`);
    await flushMessageLog();
    await flushConversationMessages();
    const user = (await storedUser(openid))!;
    const chat = (await conversation(openid))!;
    expect(chat.inCount).toBe(11);
    expect(chat.lastText).toBe('消息9');
    const last = await OaChatMessage.findOne({ openid }).sort({ at: -1 }).lean();
    expect(user.lastInteractionAt!.getTime()).toBe(last!.at.getTime());
  });

  it('a console reply stays the last text though a message before it was still waiting', async () => {
    const openid = 'oCoalesce0003';
    await firstMessageWritten(openid);
    await say(openid, '还在吗');
    await flushConversationMessages({ due: true });
    const user = (await storedUser(openid))!;
    await storeReply({ openid, wechatUserId: user._id, text: '在的，请讲', staffId: 'staff-coalesce', at: new Date() });
    await sleep(CONVERSATION_COALESCE_MS + 500);
    await flushConversationMessages();
    const chat = (await conversation(openid))!;
    expect(chat.lastText).toBe('在的，请讲');
    expect(chat.lastDirection).toBe('out');
    expect(chat.inCount).toBe(2);
    expect(chat.seenInCount).toBe(2);
  });
});
