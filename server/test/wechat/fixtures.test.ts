// WeChat's published request/response examples (fixtures/<host>/*.json, each naming its document)
// replayed against the sandbox: the sandbox's answer has the documented fields, with the documented
// types (errcode/errmsg may be left out on success, as WeChat itself does).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/wechat/sandbox/index.js';
import { http, MP, OA } from './helpers.js';

interface Fixture {
  doc: string;
  app: 'oa' | 'mp';
  auth?: 'token';
  setup?: {
    followers?: string[];
    tagFollowers?: boolean;
    oaTemplate?: boolean;
    mpUsers?: string[];
    mpTemplate?: boolean;
    consent?: boolean;
    window?: boolean;
    createTag?: boolean;
    loginCode?: string;
  };
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  request?: Record<string, unknown>;
  response: Record<string, unknown>;
}

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixtures = readdirSync(root).flatMap((host) =>
  readdirSync(path.join(root, host))
    .filter((file) => file.endsWith('.json'))
    .map((file) => [`${host}/${file}`, JSON.parse(readFileSync(path.join(root, host, file), 'utf8')) as Fixture] as const),
);

const typeOf = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

/** Every documented field is in `actual` with the documented type; `actual` has nothing undocumented. */
function sameShape(documented: unknown, actual: unknown, at: string, problems: string[]): void {
  if (typeOf(documented) !== typeOf(actual)) {
    problems.push(`${at}: documented ${typeOf(documented)}, sandbox ${typeOf(actual)}`);
    return;
  }
  if (Array.isArray(documented) && Array.isArray(actual)) {
    if (documented.length > 0 && actual.length === 0) problems.push(`${at}: documented items, sandbox none`);
    if (documented.length > 0 && actual.length > 0) sameShape(documented[0], actual[0], `${at}[0]`, problems);
    return;
  }
  if (typeOf(documented) !== 'object') return;
  const doc = documented as Record<string, unknown>;
  const act = actual as Record<string, unknown>;
  const optional = at === '' ? ['errcode', 'errmsg'] : [];
  for (const key of Object.keys(doc)) {
    if (!(key in act)) {
      if (!optional.includes(key)) problems.push(`${at}.${key}: documented, missing in the sandbox's answer`);
      continue;
    }
    sameShape(doc[key], act[key], `${at}.${key}`, problems);
  }
  for (const key of Object.keys(act)) {
    if (!(key in doc) && !optional.includes(key)) problems.push(`${at}.${key}: in the sandbox's answer, not documented`);
  }
}

let running: RunningSandbox;
let api: ReturnType<typeof http>;

beforeAll(async () => {
  running = await startSandbox({ apps: [OA, MP] });
  api = http(running.url);
});

afterAll(async () => {
  await running.close();
});

beforeEach(() => {
  running.sandbox.reset();
});

describe('WeChat documentation examples replayed against the sandbox', () => {
  it('has fixtures for every API the product calls', () => {
    const paths = new Set(fixtures.map(([, f]) => f.path));
    for (const needed of [
      '/cgi-bin/token',
      '/cgi-bin/stable_token',
      '/cgi-bin/user/info',
      '/cgi-bin/user/get',
      '/cgi-bin/message/template/send',
      '/cgi-bin/message/subscribe/send',
      '/cgi-bin/message/custom/send',
      '/cgi-bin/tags/create',
      '/cgi-bin/message/mass/send',
      '/cgi-bin/menu/create',
      '/cgi-bin/qrcode/create',
      '/sns/jscode2session',
    ]) {
      expect(paths, needed).toContain(needed);
    }
  });

  it.each(fixtures)('%s', async (_name, fixture) => {
    const app = fixture.app === 'oa' ? OA : MP;
    const setup = fixture.setup ?? {};
    const request = structuredClone(fixture.request ?? {});
    const query: Record<string, string> = { ...fixture.query };
    for (const [key, value] of Object.entries(query)) {
      if (value === 'APPID') query[key] = app.appid;
      if (value === 'APPSECRET' || value === 'SECRET') query[key] = app.secret;
    }
    if (request.appid === 'APPID') request.appid = app.appid;
    if (request.secret === 'APPSECRET') request.secret = app.secret;

    for (const openid of setup.followers ?? []) {
      running.sandbox.registerUser({ openid, unionid: `u-${openid}`, scene: 'ADD_SCENE_QR_CODE', qrScene: 98765 });
      if (setup.tagFollowers) {
        const token = await api.token(OA);
        await api.post('/cgi-bin/tags/members/batchtagging', { openid_list: [openid], tagid: 2 }, { access_token: token });
      }
      if (setup.window) running.sandbox.recordInteraction(openid, 'message');
    }
    for (const openid of setup.mpUsers ?? []) running.sandbox.mintLoginCode({ openid });
    const data = (request.data ?? {}) as Record<string, unknown>;
    if (setup.oaTemplate || setup.mpTemplate) {
      running.sandbox.registerTemplate({ kind: fixture.app, templateId: String(request.template_id), keywords: Object.keys(data) });
    }
    if (setup.consent) running.sandbox.grantConsent(String(request.touser), [String(request.template_id)]);
    if (setup.createTag) {
      const token = await api.token(OA);
      request.tagid = (await api.post('/cgi-bin/tags/create', { tag: { name: '广东' } }, { access_token: token })).body.tag.id;
    }
    if (setup.loginCode) query.js_code = running.sandbox.mintLoginCode({ openid: setup.loginCode, unionid: `u-${setup.loginCode}` });
    if (fixture.auth === 'token') query.access_token = await api.token(app);

    const answer = fixture.method === 'GET' ? await api.get(fixture.path, query) : await api.post(fixture.path, request, query);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body.errcode ?? 0, JSON.stringify(answer.body)).toBe(0);
    const problems: string[] = [];
    sameShape(fixture.response, answer.body, '', problems);
    expect(problems, `${fixture.doc}\n${JSON.stringify(answer.body)}`).toEqual([]);
  });
});
