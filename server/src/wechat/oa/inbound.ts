// Builds a request the way WeChat's servers build it when they push a message to our endpoint:
// signed query string, plain or encrypted XML body. Used by the tests and by the sandbox.
import { randomBytes } from 'node:crypto';
import { MessageCrypto, sha1Signature } from './crypto.js';

export interface InboundOptions {
  token: string;
  /** Set → safe mode (encrypted), as WeChat sends when the account is in 安全模式. */
  aesKey?: string;
  appid: string;
  timestamp?: number;
  nonce?: string;
}

export interface InboundRequest {
  query: Record<string, string>;
  body: string;
}

/** `<xml><A><![CDATA[b]]></A><N>1</N></xml>` from a flat record; numbers stay bare as WeChat sends them. */
export function messageXml(fields: Record<string, string | number>): string {
  const inner = Object.entries(fields)
    .map(([key, value]) =>
      typeof value === 'number' ? `<${key}>${value}</${key}>` : `<${key}><![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]></${key}>`,
    )
    .join('');
  return `<xml>${inner}</xml>`;
}

export function buildInbound(xml: string, options: InboundOptions): InboundRequest {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? String(randomBytes(4).readUInt32BE(0));
  const signature = sha1Signature(options.token, timestamp, nonce);
  if (!options.aesKey) return { query: { signature, timestamp, nonce }, body: xml };

  const crypto = new MessageCrypto(options.token, options.aesKey, options.appid);
  const encrypt = crypto.encrypt(xml);
  const msgSignature = crypto.getSignature(timestamp, nonce, encrypt);
  const openid = /<FromUserName><!\[CDATA\[([^\]]*)\]\]><\/FromUserName>/.exec(xml)?.[1];
  return {
    query: { signature, timestamp, nonce, encrypt_type: 'aes', msg_signature: msgSignature, ...(openid ? { openid } : {}) },
    body: `<xml><ToUserName><![CDATA[${/<ToUserName><!\[CDATA\[([^\]]*)\]\]>/.exec(xml)?.[1] ?? ''}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
  };
}

/** Reads a reply from our endpoint, decrypting it in safe mode, as WeChat would. */
export function readReply(body: string, options: InboundOptions): string {
  if (!options.aesKey || body === '') return body;
  const encrypt = /<Encrypt><!\[CDATA\[([^\]]*)\]\]><\/Encrypt>/.exec(body)?.[1];
  if (!encrypt) throw new Error(`reply is not encrypted: ${body.slice(0, 200)}`);
  return new MessageCrypto(options.token, options.aesKey, options.appid).decrypt(encrypt).message;
}
