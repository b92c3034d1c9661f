// Two server processes on one database receive the same WeChat retry: it is handled once.
import mongoose from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connection.js';
import { InboundMessage } from '../../src/wechat/oa/message.model.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { startSandbox } from '../../src/wechat/sandbox/index.js';
import { freshDatabaseUri } from '../helpers/db.js';
import { eventMessage, pushXml, textMessage } from '../helpers/oa.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { TEST_MP, TEST_OA, testEnv } from '../helpers/server.js';

let servers: ServerProcess[] = [];
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
const options = { token: TEST_OA.token, appid: TEST_OA.appid };

beforeAll(async () => {
  sandbox = await startSandbox({ apps: [{ ...TEST_OA, kind: 'oa' }, { ...TEST_MP, kind: 'mp' }] });
  const uri = freshDatabaseUri();
  const env = testEnv(sandbox.url, uri);
  // Start one after the other: both create indexes and the admin account on an empty database.
  servers.push(await spawnServer(env));
  servers.push(await spawnServer(env));
  await connectDatabase(uri);
}, 120_000);

afterAll(async () => {
  const codes = await Promise.all(servers.map((server) => server.stop()));
  await mongoose.connection.db?.dropDatabase().catch(() => {});
  await mongoose.disconnect();
  await sandbox?.close();
  // Graceful shutdown on SIGTERM ends with exit code 0.
  expect(codes).toEqual([0, 0]);
});

it('a follow event delivered to both processes at once is handled once', async () => {
  const xml = eventMessage('oTwoProc00001', 'subscribe', 'qrscene_dealer-88');
  const [a, b] = await Promise.all(servers.map((server) => pushXml(server.url, xml, options)));
  expect(a!.status).toBe(200);
  expect(b!.status).toBe(200);
  const replies = [a!.reply?.Content, b!.reply?.Content].filter(Boolean);
  expect(replies.length).toBeGreaterThanOrEqual(1);
  expect(new Set(replies).size).toBe(1);
  await expect.poll(() => InboundMessage.countDocuments({ openid: 'oTwoProc00001' }), { timeout: 2_000 }).toBe(1);
  const users = await WeChatUser.find({ oaOpenid: 'oTwoProc00001' }).lean();
  expect(users).toHaveLength(1);
  expect(users[0]!.sceneHistory).toHaveLength(1);
  const jobs = await mongoose.connection.collection('jobs').countDocuments({ name: 'official-account.sync-follower', 'data.openid': 'oTwoProc00001' });
  expect(jobs).toBe(1);
});

it('a text message retried to the other process gets the same reply', async () => {
  const xml = textMessage('oTwoProc00002', '你好');
  const first = await pushXml(servers[0]!.url, xml, options);
  const retry = await pushXml(servers[1]!.url, xml, options);
  expect(retry.reply?.Content).toBe(first.reply?.Content);
  await expect.poll(() => InboundMessage.countDocuments({ openid: 'oTwoProc00002' }), { timeout: 2_000 }).toBe(1);
});
