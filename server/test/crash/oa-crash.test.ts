// kill -9 of the real server during a burst of Official Account messages: after a restart on the
// same database, WeChat's retries get every message handled exactly once.
import { expect, it } from 'vitest';
import { attemptsOf, OnceClaim } from '../../src/lib/once.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { OA_MESSAGE_LEASE_MS } from '../../src/wechat/oa/endpoint.js';
import { handledMessage } from '../../src/wechat/oa/message-log.js';
import { InboundMessage } from '../../src/wechat/oa/message.model.js';
import { eventMessage, nowSeconds, pushXml, textMessage } from '../helpers/oa.js';
import { useServerProcess } from '../helpers/process.js';
import { TEST_OA } from '../helpers/server.js';

const proc = useServerProcess();
const options = { token: TEST_OA.token, appid: TEST_OA.appid };

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('kill -9 during a burst: every message is handled once after the restart (one follow record, one reply each)', { timeout: 60_000 }, async () => {
  const createTime = nowSeconds();
  const followers = Array.from({ length: 30 }, (_, i) => `oCrashFollow${String(i).padStart(3, '0')}`);
  const talkers = Array.from({ length: 10 }, (_, i) => `oCrashTalk${String(i).padStart(3, '0')}`);
  const messages = [
    ...followers.map((openid, i) => ({ openid, xml: eventMessage(openid, 'subscribe', `qrscene_crash-${i}`, createTime) })),
    ...talkers.map((openid) => ({ openid, xml: textMessage(openid, '你好') })),
  ];

  const first = proc.server!;
  const burst = Promise.all(messages.map(({ xml }) => pushXml(first.url, xml, options).then((r) => r.status, () => 0)));
  // Kill while the burst is being handled: some messages claimed, not all answered.
  await until(async () => (await OnceClaim.countDocuments({ key: { $regex: '^oa:' } })) >= 5, 20_000);
  first.child.kill('SIGKILL');
  const statuses = await burst;
  expect(statuses.filter((status) => status !== 200).length, 'requests cut off by the kill').toBeGreaterThan(0);
  // A message's done mark is its handled log record (message-log.ts).
  const claimed = (await OnceClaim.find({ key: { $regex: '^oa:' } }, { key: 1 }).lean<Array<{ key: string }>>()).map((c) => c.key);
  const logged = await InboundMessage.countDocuments({ _id: { $in: claimed.map((key) => key.slice('oa:'.length)) }, status: 'handled' });
  const leftOpen = new Set(claimed).size - logged;

  await proc.restart();
  // WeChat retries what it got no answer to; here every message is retried, twice.
  const retried = await Promise.all(messages.map(({ xml }) => pushXml(proc.server!.url, xml, options)));
  const again = await Promise.all(messages.map(({ xml }) => pushXml(proc.server!.url, xml, options)));
  for (const [i, result] of retried.entries()) {
    expect(result.status).toBe(200);
    expect(result.reply?.Content, messages[i]!.openid).toBeTruthy();
    expect(again[i]!.reply?.Content).toBe(result.reply?.Content);
  }

  for (const [i, openid] of followers.entries()) {
    const users = await WeChatUser.find({ oaOpenid: openid }).lean();
    expect(users, openid).toHaveLength(1);
    expect(users[0]!.sceneHistory.map((entry) => entry.scene)).toEqual([`crash-${i}`]);
  }
  for (const { openid } of messages) await expect.poll(() => InboundMessage.countDocuments({ openid }), { timeout: 2_000 }).toBe(1);
  // lastInteractionAt is written in batches, before the done marks: each talker's is stored —
  // by the killed process before it marked the message done, or by the retry that handled it.
  for (const openid of talkers) {
    await expect.poll(async () => (await WeChatUser.findOne({ oaOpenid: openid }).lean())?.lastInteractionAt, { timeout: 2_000 }).toBeInstanceOf(Date);
  }
  // Every message is done (its handled log record); the interrupted ones were taken over by a retry.
  const keys = [...new Set((await OnceClaim.find({ key: { $regex: '^oa:' } }, { key: 1 }).lean<Array<{ key: string }>>()).map((c) => c.key))];
  expect(keys).toHaveLength(messages.length);
  for (const key of keys) await expect.poll(() => handledMessage(key.slice('oa:'.length)), { timeout: 2_000 }).toBeTruthy();
  console.info(`oa crash: ${statuses.filter((s) => s !== 200).length} requests cut off, ${leftOpen} claims left open by the killed process`);
});

it('a message whose handler died moments ago: the retry waits out its lease and handles it', { timeout: 30_000 }, async () => {
  const openid = 'oCrashLease001';
  const xml = eventMessage(openid, 'subscribe', 'qrscene_lease', nowSeconds());
  const key = `oa:evt:${openid}:${/<CreateTime>(\d+)/.exec(xml)![1]}:subscribe`;
  // As a process killed right after claiming the message leaves it.
  const now = Date.now();
  await OnceClaim.collection.insertOne({
    _id: key,
    key,
    attempt: 0,
    owner: 'killed-process',
    leaseUntil: new Date(now + 2_000),
    doneAt: null,
    releasedAt: null,
    keepUntil: new Date(now + 3600_000),
    data: { receivedAt: new Date(now).toISOString() },
    result: null,
  } as never);
  expect(OA_MESSAGE_LEASE_MS).toBeLessThan(5_000);

  const started = Date.now();
  const retry = await pushXml(proc.server!.url, xml, options);
  expect(retry.status).toBe(200);
  expect(retry.reply?.Content).toBeTruthy();
  expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
  expect(Date.now() - started).toBeLessThan(5_000);
  const user = (await WeChatUser.findOne({ oaOpenid: openid }).lean())!;
  expect(user.sceneHistory).toHaveLength(1);
  // The dead attempt was taken over by a second one; the done mark (the handled log record) is
  // written in the next batch (within ~100 ms of the reply).
  expect(await attemptsOf(key)).toHaveLength(2);
  await expect.poll(() => handledMessage(key.slice('oa:'.length)), { timeout: 2_000 }).toMatchObject({ result: expect.anything() });
  // A later retry gets the same reply and handles nothing again.
  expect((await pushXml(proc.server!.url, xml, options)).reply?.Content).toBe(retry.reply?.Content);
  expect((await WeChatUser.findOne({ oaOpenid: openid }).lean())!.sceneHistory).toHaveLength(1);
});
