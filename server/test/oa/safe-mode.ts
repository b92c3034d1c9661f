// Safe (AES) mode suite, run with WeChat's published sample parameters and with our own.
import { describe, expect, it } from 'vitest';
import { MessageCrypto, sha1Signature } from '../../src/wechat/oa/crypto.js';
import { buildInbound } from '../../src/wechat/oa/inbound.js';
import { InboundMessage } from '../../src/wechat/oa/message.model.js';
import { flushMessageLog } from '../../src/wechat/oa/message-log.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { useTestServer, type TestServer } from '../helpers/server.js';
import { eventMessage, nextMsgId, nowSeconds, pushXml, textMessage } from '../helpers/oa.js';

export interface SafeModeParams {
  label: string;
  token: string;
  aesKey: string;
  appid: string;
  /** A ciphertext WeChat published for these parameters: pushed as-is, it must be accepted. */
  publishedCiphertext?: { encrypt: string; from: string; msgType: string };
}

export function safeModeSuite(params: SafeModeParams): void {
  describe(`safe mode (${params.label})`, () => {
    let server: TestServer;
    const options = { token: params.token, aesKey: params.aesKey, appid: params.appid };

    const env = { WECHAT_OA_APPID: params.appid, WECHAT_OA_TOKEN: params.token, WECHAT_OA_AES_KEY: params.aesKey };
    useTestServer((started) => {
      server = started;
    }, env);

    it('decrypts a text message and encrypts the reply', async () => {
      const msgId = nextMsgId();
      const result = await pushXml(server.url, textMessage('oSafeUser0001', '你好', msgId), options);
      expect(result.status).toBe(200);
      expect(result.raw).toContain('<Encrypt>');
      expect(result.raw).not.toContain('消息已收到');
      expect(result.reply).toMatchObject({ MsgType: 'text', ToUserName: 'oSafeUser0001' });
      expect(result.reply?.Content).toContain('消息已收到');
      await flushMessageLog(); // the log is written in batches, off the reply path
      expect(await InboundMessage.findById(`msg:${msgId}`).lean()).toMatchObject({ content: '你好', status: 'handled' });
    });

    it('handles an encrypted subscribe event', async () => {
      const result = await pushXml(server.url, eventMessage('oSafeUser0002', 'subscribe', 'qrscene_9'), options);
      expect(result.reply?.Content).toContain('欢迎关注');
      expect(await WeChatUser.findOne({ oaOpenid: 'oSafeUser0002' }).lean()).toMatchObject({ subscribed: true, subscribeScene: '9' });
    });

    it('a retried encrypted message is answered the same and stored once', async () => {
      const xml = textMessage('oSafeUser0003', '重试');
      const first = await pushXml(server.url, xml, options);
      const second = await pushXml(server.url, xml, options);
      expect(second.reply?.Content).toBe(first.reply?.Content);
      await flushMessageLog(); // the log is written in batches, off the reply path
      expect(await InboundMessage.countDocuments({ openid: 'oSafeUser0003' })).toBe(1);
    });

    it('refuses a message encrypted for another appid', async () => {
      const result = await pushXml(server.url, textMessage('oSafeUser0004', 'hi'), { ...options, appid: 'wx0000000000000bad' });
      expect(result.status).toBe(401);
      expect(JSON.parse(result.raw).error.code).toBe('WECHAT_APPID_MISMATCH');
      await flushMessageLog(); // the log is written in batches, off the reply path
      expect(await InboundMessage.countDocuments({ openid: 'oSafeUser0004' })).toBe(0);
    });

    it('refuses a wrong msg_signature, and a message encrypted with another key', async () => {
      const tampered = await pushXml(server.url, textMessage('oSafeUser0005', 'hi'), options, (query) => {
        query.msg_signature = sha1Signature('x', 'y');
      });
      expect(tampered.status).toBe(401);
      const otherKey = await pushXml(server.url, textMessage('oSafeUser0005', 'hi'), { ...options, aesKey: 'Z'.repeat(43) });
      expect(otherKey.status).toBe(400);
      await flushMessageLog(); // the log is written in batches, off the reply path
      expect(await InboundMessage.countDocuments({ openid: 'oSafeUser0005' })).toBe(0);
    });

    if (params.publishedCiphertext) {
      const published = params.publishedCiphertext;
      it('accepts the ciphertext WeChat published, pushed as WeChat would', async () => {
        const crypto = new MessageCrypto(params.token, params.aesKey, params.appid);
        const timestamp = String(nowSeconds());
        const nonce = 'xxxxxx';
        const query = {
          signature: sha1Signature(params.token, timestamp, nonce),
          timestamp,
          nonce,
          encrypt_type: 'aes',
          msg_signature: crypto.getSignature(timestamp, nonce, published.encrypt),
        };
        const body = `<xml><ToUserName><![CDATA[toUser]]></ToUserName><Encrypt><![CDATA[${published.encrypt}]]></Encrypt></xml>`;
        const response = await fetch(`${server.url}/wechat/oa?${new URLSearchParams(query)}`, { method: 'POST', body });
        expect(response.status).toBe(200);
        await flushMessageLog(); // the log is written in batches, off the reply path
        const stored = await InboundMessage.findOne({ openid: published.from }).lean();
        expect(stored).toMatchObject({ msgType: published.msgType, status: 'handled' });
      });
    }

    it('refuses malformed outer XML with 400', async () => {
      const { query } = buildInbound('', options);
      const response = await fetch(`${server.url}/wechat/oa?${new URLSearchParams({ ...query, encrypt_type: 'aes', msg_signature: 'x' })}`, {
        method: 'POST',
        body: '<xml><Encrypt>',
      });
      expect(response.status).toBe(400);
    });

    it('ignores a __proto__ element in the outer XML', async () => {
      const crypto = new MessageCrypto(params.token, params.aesKey, params.appid);
      const encrypt = crypto.encrypt(textMessage('oSafeUser0006', 'hi'));
      const timestamp = String(nowSeconds());
      const nonce = '12345';
      const body = `<xml><__proto__><polluted>yes</polluted></__proto__><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
      const query = { timestamp, nonce, encrypt_type: 'aes', msg_signature: crypto.getSignature(timestamp, nonce, encrypt), signature: sha1Signature(params.token, timestamp, nonce) };
      const response = await fetch(`${server.url}/wechat/oa?${new URLSearchParams(query)}`, { method: 'POST', body });
      expect(response.status).toBe(200);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
}
