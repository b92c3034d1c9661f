// The Official Account's claims are inserted in groups (one insertMany for the messages arriving
// together) and a message's done mark is its handled log record, not an update of the claim.
// What must still hold: every message handled once, each caller answered with its own reply —
// also for duplicates inside one group, for a retry after the claim's lease ran out, and when the
// database refuses one document of a group.
import { describe, expect, it } from 'vitest';
import { attemptsOf, claimLease, OnceClaim } from '../../src/lib/once.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { flushMessageLog, handledMessage, logMessage, type MessageLogRecord } from '../../src/wechat/oa/message-log.js';
import { InboundMessage } from '../../src/wechat/oa/message.model.js';
import { eventMessage, nextMsgId, nowSeconds, pushXml, textMessage } from '../helpers/oa.js';
import { TEST_OA, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const plain = { token: TEST_OA.token, appid: TEST_OA.appid };

useTestServer((started) => {
  server = started;
});

const pad = (i: number) => String(i).padStart(3, '0');

describe('a burst of grouped claims', () => {
  it('200 pushes, 50 of them duplicates sent at the same moment: each message handled once, every reply its own', { timeout: 120_000 }, async () => {
    const createTime = nowSeconds();
    const follows = Array.from({ length: 75 }, (_, i) => ({ openid: `oBurstFollow${pad(i)}`, scene: `burst-${i}` }));
    const texts = Array.from({ length: 75 }, (_, i) => ({ openid: `oBurstText${pad(i)}`, msgId: nextMsgId() }));
    const messages = [
      ...follows.map(({ openid, scene }) => ({ openid, xml: eventMessage(openid, 'subscribe', `qrscene_${scene}`, createTime) })),
      ...texts.map(({ openid, msgId }) => ({ openid, xml: textMessage(openid, '在吗', msgId) })),
    ];
    // Every third message is pushed twice, side by side: the copies land in the same group.
    const pushes = messages.flatMap((message, i) => (i % 3 === 0 && i / 3 < 50 ? [message, message] : [message]));
    expect(pushes).toHaveLength(200);
    const results = await Promise.all(pushes.map(({ xml }) => pushXml(server.url, xml, plain)));
    expect(results.map((r) => r.status)).toEqual(Array(200).fill(200));
    // A copy that waited out RETRY_WAIT_MS for the other (a slow machine) was answered empty: as
    // WeChat does, push it again — it must now get the stored reply.
    for (const [i, result] of results.entries()) {
      if (!result.reply?.Content) results[i] = await pushXml(server.url, pushes[i]!.xml, plain);
      expect(results[i]!.reply?.Content, pushes[i]!.openid).toBeTruthy();
    }
    // Both copies of a message got the same answer.
    const answers = new Map<string, string>();
    for (const [i, result] of results.entries()) {
      const seen = answers.get(pushes[i]!.xml);
      if (seen === undefined) answers.set(pushes[i]!.xml, result.reply!.Content!);
      else expect(result.reply!.Content, pushes[i]!.openid).toBe(seen);
    }

    await flushMessageLog();
    for (const { openid, scene } of follows) {
      const users = await WeChatUser.find({ oaOpenid: openid }).lean();
      expect(users, openid).toHaveLength(1);
      expect(users[0]!.sceneHistory.map((entry) => entry.scene)).toEqual([scene]);
    }
    for (const { openid, msgId } of texts) {
      expect(await InboundMessage.countDocuments({ openid }), openid).toBe(1);
      // Its done mark holds the reply the sender got. (Not asserted: a single attempt — on a
      // loaded machine a handler may overrun its 4.5 s lease and a re-push take the message
      // over, which the handlers' idempotent writes absorb.)
      const xml = messages.find((m) => m.openid === openid)!.xml;
      expect((await handledMessage(`msg:${msgId}`))?.result).toBe(answers.get(xml));
    }
  });

  it('a retry of a handled message after its claim\'s lease ran out is answered from the log, not handled again', async () => {
    const openid = 'oBurstLate001';
    const xml = eventMessage(openid, 'subscribe', 'qrscene_late', nowSeconds());
    let first = await pushXml(server.url, xml, plain);
    // Answered empty only when the handler ran past 4 s (a loaded machine): WeChat pushes again.
    if (!first.reply?.Content) first = await pushXml(server.url, xml, plain);
    expect(first.reply?.Content).toBeTruthy();
    await flushMessageLog();
    const key = `oa:evt:${openid}:${/<CreateTime>(\d+)/.exec(xml)![1]}:subscribe`;
    // As ~5 s later, when WeChat's retry comes: the claim has no done mark of its own.
    await OnceClaim.updateOne({ _id: key }, { $set: { leaseUntil: new Date(Date.now() - 1_000) } });
    const retry = await pushXml(server.url, xml, plain);
    expect(retry.reply?.Content).toBe(first.reply?.Content);
    expect(await attemptsOf(key)).toHaveLength(1);
    expect((await WeChatUser.findOne({ oaOpenid: openid }).lean())!.sceneHistory).toHaveLength(1);
  });
});

describe('the group insert of claims', () => {
  const lease = { leaseMs: 4_500, keepMs: 60_000, grouped: true };

  it('a document the database refuses fails only its own caller; the others in its group are claimed', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `test-grouped:${nextMsgId()}:${i}`);
    // FerretDB refuses a field name starting with `$`: one bad document per group of four.
    const outcomes = await Promise.allSettled(keys.map((key, i) => claimLease(key, { ...lease, data: i % 4 === 1 ? { $bad: true } : { n: i } })));
    outcomes.forEach((outcome, i) => {
      if (i % 4 === 1) expect(outcome.status, keys[i]).toBe('rejected');
      else expect(outcome.status === 'fulfilled' && outcome.value.kind, keys[i]).toBe('mine');
    });
    expect(await OnceClaim.countDocuments({ _id: { $in: keys } })).toBe(9);
  });

  it('the same key twice in one group: one caller gets it, the other finds it taken', async () => {
    const key = `test-grouped:${nextMsgId()}`;
    // The first insert goes at once, alone; the two copies queued behind it go as one group.
    const [, a, b] = await Promise.all([claimLease(`test-grouped:${nextMsgId()}`, lease), claimLease(key, lease), claimLease(key, lease)]);
    expect([a.kind, b.kind].sort()).toEqual(['busy', 'mine']);
    expect(await attemptsOf(key)).toHaveLength(1);
  });
});

describe('the log record as done mark', () => {
  const record = (key: string, status: 'handled' | 'failed'): MessageLogRecord => ({
    _id: key,
    openid: 'oLogMark00001',
    msgType: 'text',
    event: null,
    eventKey: null,
    msgId: key.slice('msg:'.length),
    content: '你好',
    xml: '<xml></xml>',
    sentAt: new Date(),
    receivedAt: new Date(),
    status,
    reply: status === 'handled' ? '收到' : null,
    handledAt: status === 'handled' ? new Date() : null,
    error: status === 'failed' ? 'boom' : null,
  });

  it('a message whose first attempt failed and a retry handled counts as handled', async () => {
    const key = `msg:${nextMsgId()}`;
    logMessage(record(key, 'failed'));
    await flushMessageLog();
    expect(await handledMessage(key)).toBeNull();
    logMessage(record(key, 'handled'));
    await flushMessageLog();
    expect(await handledMessage(key)).toMatchObject({ result: '收到' });
    // A late failure record (another process) does not undo it.
    logMessage(record(key, 'failed'));
    await flushMessageLog();
    expect(await handledMessage(key)).toMatchObject({ result: '收到' });
    expect(await InboundMessage.countDocuments({ _id: key })).toBe(1);
  });
});
