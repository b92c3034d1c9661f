// 公众号消息 in safe mode (安全模式): encrypted pushes reach the conversation record like plain ones,
// and a retried encrypted message is stored once.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { OaChatMessage } from '../../src/modules/official-account/oa-message.model.js';
import { flushMessageLog } from '../../src/wechat/oa/message-log.js';
import { flushConversationMessages as flushChat } from '../../src/modules/official-account/oa-message.store.js';
import { adminToken, unique } from '../helpers/factories.js';
import { nextMsgId, pushXml, textMessage } from '../helpers/oa.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

const params = {
  token: 'QiaoSafeChat2026',
  aesKey: randomBytes(32).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(43, 'q').slice(0, 43),
  appid: 'wx5e1f0c0ffee0a0c1',
};
let server: TestServer;
/** The endpoint's batches, then the conversation record they started (written beside them). */
const flushAll = async () => {
  await flushMessageLog();
  await flushChat();
};

useTestServer(
  (started) => {
    server = started;
  },
  { WECHAT_OA_APPID: params.appid, WECHAT_OA_TOKEN: params.token, WECHAT_OA_AES_KEY: params.aesKey },
);

describe('conversations in safe mode', () => {
  it('stores an encrypted message once however often WeChat retries it, and lists it with its intent', async () => {
    const openid = unique('oSafeChat');
    const xml = textMessage(openid, '请发一下价格表', nextMsgId());
    const results = await Promise.all([pushXml(server.url, xml, params), pushXml(server.url, xml, params)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect((await pushXml(server.url, xml, params)).status).toBe(200);
    await flushAll();
    expect(await OaChatMessage.countDocuments({ openid })).toBe(1);

    const user = await WeChatUser.findOne({ oaOpenid: openid }).lean();
    const list = await call(server.url, '/api/v1/oa/conversations?intent=1', { token: await adminToken(server) });
    expect(list.body.items).toEqual([expect.objectContaining({ wechatUserId: user!._id, intent: true, unread: 1, lastMessage: expect.objectContaining({ content: '请发一下价格表' }) })]);
  });
});
