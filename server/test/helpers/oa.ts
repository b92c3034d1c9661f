// Pushes messages to /wechat/oa exactly as WeChat's servers do (see src/wechat/oa/inbound.ts).
import { parseStringPromise } from 'xml2js';
import { buildInbound, messageXml, readReply, type InboundOptions } from '../../src/wechat/oa/inbound.js';

export interface PushResult {
  status: number;
  /** Raw response body (the encrypted envelope in safe mode). */
  raw: string;
  /** Reply XML after decryption ('' for no reply). */
  xml: string;
  /** Parsed reply fields, e.g. { MsgType: 'text', Content: '…' }. */
  reply: Record<string, string> | null;
}

export async function parseReply(xml: string): Promise<Record<string, string> | null> {
  if (!xml) return null;
  const parsed = await parseStringPromise(xml, { explicitArray: false, trim: false });
  return parsed.xml as Record<string, string>;
}

export async function pushXml(baseUrl: string, xml: string, options: InboundOptions, tamper?: (query: Record<string, string>) => void): Promise<PushResult> {
  const { query, body } = buildInbound(xml, options);
  tamper?.(query);
  const response = await fetch(`${baseUrl}/wechat/oa?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body,
  });
  const raw = await response.text();
  const xmlReply = response.status === 200 ? readReply(raw, options) : '';
  return { status: response.status, raw, xml: xmlReply, reply: response.status === 200 ? await parseReply(xmlReply) : null };
}

let msgSeq = 7_100_000_000_000_000_000n;
export const nextMsgId = () => String((msgSeq += 1n));
export const nowSeconds = () => Math.floor(Date.now() / 1000);

export function textMessage(from: string, content: string, msgId = nextMsgId(), to = 'gh_qiao0000001'): string {
  return messageXml({ ToUserName: to, FromUserName: from, CreateTime: nowSeconds(), MsgType: 'text', Content: content, MsgId: msgId });
}

export function eventMessage(from: string, event: string, eventKey?: string, createTime = nowSeconds(), to = 'gh_qiao0000001'): string {
  return messageXml({
    ToUserName: to,
    FromUserName: from,
    CreateTime: createTime,
    MsgType: 'event',
    Event: event,
    ...(eventKey === undefined ? {} : { EventKey: eventKey }),
  });
}
