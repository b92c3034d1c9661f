// Fuzz: random and mutated Official Account XML pushed to /wechat/oa, correctly signed (plain
// mode) so that it reaches the parser and the handlers. Never a 5xx; a hostile MsgType never gets
// a reply built from the message; a refused push stores nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInbound, messageXml } from '../../src/wechat/oa/inbound.js';
import { InboundMessage } from '../../src/wechat/oa/message.model.js';
import { flushMessageLog } from '../../src/wechat/oa/message-log.js';
import { parseReply } from '../helpers/oa.js';
import { call, startTestServer, TEST_OA, type TestServer } from '../helpers/server.js';
import { HOSTILE_STRINGS, randomString, rawRequest, rng, runBatches, SEED, type Rng } from './fuzz.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const plain = { token: TEST_OA.token, appid: TEST_OA.appid };
const HOSTILE_TYPES = ['constructor', '__proto__', 'tostring', 'toString', 'hasOwnProperty', 'valueOf', 'news', 'music', 'transfer_customer_service', 'Text', 'text ', '', 'x'.repeat(40), '<a>'];
const EVENTS = ['subscribe', 'unsubscribe', 'SCAN', 'CLICK', 'VIEW', 'LOCATION', 'constructor', '__proto__', 'x:y', ''];
let seq = 0;

function fields(r: Rng): Record<string, string | number> {
  seq += 1;
  const base: Record<string, string | number> = {
    ToUserName: r.chance(0.9) ? 'gh_qiao0000001' : randomString(r),
    FromUserName: r.chance(0.8) ? `oFuzz${SEED}x${seq}` : randomString(r),
    CreateTime: r.chance(0.9) ? Math.floor(Date.now() / 1000) + seq : randomString(r),
    MsgType: r.chance(0.5) ? r.pick(['text', 'event', 'image', 'location', 'link']) : r.pick(HOSTILE_TYPES),
  };
  if (r.chance(0.6)) base.MsgId = r.chance(0.9) ? `${7_200_000_000_000_000 + SEED * 1000 + seq}` : randomString(r);
  if (r.chance(0.5)) base.Content = r.chance(0.5) ? randomString(r) : r.pick(['你好', '地址', ']]>', '<xml/>']);
  if (base.MsgType === 'event' || r.chance(0.2)) base.Event = r.pick(EVENTS);
  if (r.chance(0.3)) base.EventKey = r.pick(['qrscene_1', '', randomString(r)]);
  if (r.chance(0.2)) base[r.pick(['__proto__', 'constructor', 'PicUrl', 'Location_X', 'Extra'])] = randomString(r);
  return base;
}

/** A message XML, plain or mutated into something no WeChat server would send. */
function hostileXml(r: Rng): { name: string; xml: string } {
  const xml = messageXml(fields(r));
  switch (r.int(12)) {
    case 0:
      return { name: 'truncated', xml: xml.slice(0, r.int(xml.length)) };
    case 1:
      return { name: 'nested element', xml: xml.replace(/<(MsgType|Content|FromUserName|Event|EventKey)>/, '<$1><a>1</a><b>2</b>') };
    case 2:
      return { name: 'repeated element', xml: xml.replace('</xml>', '<MsgType><![CDATA[text]]></MsgType><MsgType><![CDATA[event]]></MsgType></xml>') };
    case 3:
      return { name: 'doctype entity', xml: `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>${xml.replace('</xml>', '<Content>&x;</Content></xml>')}` };
    case 4:
      return { name: 'not xml', xml: r.pick(HOSTILE_STRINGS) };
    case 5:
      return { name: 'other root', xml: xml.replaceAll('xml>', 'root>') };
    case 6:
      return { name: 'huge content', xml: xml.replace('</xml>', `<Content><![CDATA[${'长'.repeat(20_000)}]]></Content></xml>`) };
    case 7:
      return { name: 'empty', xml: '' };
    default:
      return { name: 'fields', xml };
  }
}

const push = (xml: string, contentType = 'text/xml') => {
  const { query } = buildInbound(xml, plain);
  const path = `/wechat/oa?${new URLSearchParams(query)}`;
  return rawRequest(server.url, { method: 'POST', path, headers: { 'content-type': contentType }, body: xml }).then((response) => ({ path, response }));
};

describe(`Official Account XML fuzz (seed ${SEED})`, () => {
  it('never answers 5xx to signed hostile XML, and stores nothing for a refused push', async () => {
    const r = rng(SEED + 2);
    const { statuses } = await runBatches(150, 5, () => {
      const { name, xml } = hostileXml(r);
      return async () => ({ label: `OA ${name}: ${xml.slice(0, 200)}`, ...(await push(xml, r.pick(['text/xml', 'application/xml', 'text/plain', 'application/json']))) });
    });
    expect(statuses[200] ?? 0).toBeGreaterThan(0);
    expect(statuses[400] ?? 0).toBeGreaterThan(0);
    expect(await call(server.url, '/healthz')).toMatchObject({ status: 200 });
  }, 120_000);

  it('a hostile MsgType gets an empty reply, never one built from the message, and is not stored', async () => {
    for (const type of ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'news', 'music']) {
      const msgId = `${7_300_000_000_000_000 + type.length}${Math.floor(Math.random() * 1e6)}`;
      const xml = messageXml({ ToUserName: 'gh_qiao0000001', FromUserName: 'oHostileType01', CreateTime: Math.floor(Date.now() / 1000), MsgType: type, Content: '<b>', MsgId: msgId });
      const { response } = await push(xml);
      expect(response.status, `${type}: ${response.text.slice(0, 200)}`).toBeLessThan(500);
      if (response.status === 200) {
        expect(await parseReply(response.text), type).toBeNull();
        expect(response.text).toBe('');
      }
      await flushMessageLog(); // the log is written in batches, off the reply path
      expect(await InboundMessage.countDocuments({ _id: `msg:${msgId}` })).toBe(0);
    }
  });

  it('never answers 5xx to URL verifications with mutated query strings', async () => {
    const r = rng(SEED + 3);
    await runBatches(60, 5, () => {
      const { query } = buildInbound('', plain);
      const params = new URLSearchParams({ ...query, echostr: randomString(r) });
      const mutate = r.int(6);
      if (mutate === 0) params.append(r.pick(['signature', 'timestamp', 'nonce', 'echostr']), randomString(r));
      if (mutate === 1) params.set(r.pick(['signature', 'timestamp', 'nonce']), randomString(r));
      if (mutate === 2) params.delete(r.pick(['signature', 'timestamp', 'nonce', 'echostr']));
      if (mutate === 3) params.set('encrypt_type', r.pick(['aes', 'raw', randomString(r)]));
      if (mutate === 4) params.set('msg_signature', randomString(r));
      const path = `/wechat/oa?${params}`;
      const method = r.chance(0.9) ? 'GET' : r.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS']);
      return async () => ({ label: `OA ${method} ${path.slice(0, 200)}`, path, response: await rawRequest(server.url, { method, path }) });
    });
  });

  it('answers echostr as text/plain, never as HTML', async () => {
    const { query } = buildInbound('', plain);
    const response = await fetch(`${server.url}/wechat/oa?${new URLSearchParams({ ...query, echostr: '<script>alert(1)</script>' })}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('<script>alert(1)</script>');
  });

  it('refuses repeated WeChat query parameters with 400', async () => {
    const { query } = buildInbound('', plain);
    const response = await fetch(`${server.url}/wechat/oa?${new URLSearchParams(query)}&echostr=a&echostr=b`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
  });
});
