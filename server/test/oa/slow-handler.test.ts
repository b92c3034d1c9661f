// A handler slower than WeChat's 5 s: WeChat is answered empty at ~4 s (no retry, no "该公众号暂时
// 无法提供服务"), and the reply arrives as a customer-service message once it is ready. The
// endpoint takes its handler as a dependency: here it is made slow on purpose.
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WeChatReply } from 'co-wechat';
import { createLogger } from '../../src/logger.js';
import { createMemoryTokenStore, createOfficialAccountClient } from '../../src/wechat/api/index.js';
import { officialAccountEndpoint } from '../../src/wechat/oa/endpoint.js';
import { flushMessageLog } from '../../src/wechat/oa/message-log.js';
import { InboundMessage } from '../../src/wechat/oa/message.model.js';
import { nextMsgId, pushXml, textMessage } from '../helpers/oa.js';
import { TEST_OA, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
useTestServer((started) => {
  server = started;
});

const plain = { token: TEST_OA.token, appid: TEST_OA.appid };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let url: string;
let close: () => void;
let delayMs = 0;
let calls = 0;

beforeAll(async () => {
  const oa = createOfficialAccountClient({ baseUrl: server.sandbox.url, appid: TEST_OA.appid, secret: TEST_OA.secret, tokenStore: createMemoryTokenStore() });
  const app = new Koa();
  const router = new Router();
  officialAccountEndpoint(router, {
    ...plain,
    logger: createLogger('silent'),
    handle: async (message): Promise<WeChatReply> => {
      calls += 1;
      await sleep(delayMs);
      return `收到：${message.Content}`;
    },
    sendCustomMessage: (message) => oa.sendCustomMessage(message),
  });
  app.use(router.routes());
  const http = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => http.once('listening', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  close = () => http.close();
});
afterAll(() => close?.());

/** The follower wrote to us: WeChat's 48-hour customer-service window is open. */
function follower(openid: string) {
  server.sandbox.sandbox.registerUser({ openid, subscribed: true });
  server.sandbox.sandbox.recordInteraction(openid, 'message');
}

describe('a slow message handler', () => {
  it('a fast handler still answers with the passive reply, and nothing else is sent', async () => {
    follower('oSlowFast0001');
    delayMs = 10;
    const result = await pushXml(url, textMessage('oSlowFast0001', '你好'), plain);
    expect(result.reply?.Content).toBe('收到：你好');
    await sleep(200);
    expect(server.sandbox.sandbox.sent({ openid: 'oSlowFast0001', kind: 'custom' })).toHaveLength(0);
  });

  it('past ~4 s: WeChat gets an empty answer in time, the reply follows as a customer-service message, once', async () => {
    follower('oSlowSlow0001');
    delayMs = 5_500;
    calls = 0;
    const msgId = nextMsgId();
    const started = Date.now();
    const result = await pushXml(url, textMessage('oSlowSlow0001', '查询工单', msgId), plain);
    const answeredIn = Date.now() - started;
    expect(result.status).toBe(200);
    expect(result.raw).toBe('');
    expect(answeredIn).toBeLessThan(5_000);
    expect(answeredIn).toBeGreaterThanOrEqual(3_900);
    expect(server.sandbox.sandbox.sent({ openid: 'oSlowSlow0001', kind: 'custom' })).toHaveLength(0);

    for (let waited = 0; waited < 5_000 && server.sandbox.sandbox.sent({ openid: 'oSlowSlow0001', kind: 'custom' }).length === 0; waited += 100) await sleep(100);
    const sent = server.sandbox.sandbox.sent({ openid: 'oSlowSlow0001', kind: 'custom' });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.payload).toMatchObject({ touser: 'oSlowSlow0001', msgtype: 'text', text: { content: '收到：查询工单' } });
    expect(calls).toBe(1);
    // The message log is written in batches: flush it before reading.
    await flushMessageLog();
    expect(await InboundMessage.findById(`msg:${msgId}`).lean()).toMatchObject({ status: 'handled', reply: '收到：查询工单' });
  }, 20_000);
});
