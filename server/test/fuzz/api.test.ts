// Fuzz: every declared API route, as admin, a mini-program customer, an engineer and nobody, with
// random and mutated path ids, query strings, JSON bodies and headers. Never a 5xx; every 4xx in
// the error shape; a batch answered only with 4xx stored nothing; the server is healthy after.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '../../src/http/route.js';
import { adminToken, createContactViaApi, createCustomerViaApi, mpSession, staffSession } from '../helpers/factories.js';
import { call, startTestServer, type TestServer } from '../helpers/server.js';
import { deepJson, pct, randomObject, randomString, randomValue, rawRequest, rng, runBatches, SEED, type Rng } from './fuzz.js';

let server: TestServer;
let dataDir: string;
let callers: { name: string; token?: string }[];
let knownIds: string[];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'qiao-fuzz-api-'));
  server = await startTestServer({ QIAO_DATA_DIR: dataDir });
  const admin = await adminToken(server);
  const customer = await mpSession(server);
  const engineer = await staffSession(server, 'engineer');
  const other = await staffSession(server, 'dispatcher');
  const company = await createCustomerViaApi(server, admin);
  const contact = await createContactViaApi(server, admin, company.id);
  callers = [{ name: 'admin', token: admin }, { name: 'customer', token: customer.token }, { name: 'engineer', token: engineer.token }, { name: 'anonymous' }];
  // Real ids, so some requests get past "not found" into the rules (never the callers' own).
  knownIds = [company.id, contact.id, other.id];
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Field names of a zod object schema (its `shape`), to mutate bodies the route would nearly accept. */
function fieldsOf(schema: RouteInfo['body']): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

function routeId(r: Rng): string {
  return r.pick([
    () => r.pick(knownIds),
    () => randomBytes(12).toString('hex'),
    () => pct(randomString(r)) || 'x',
    () => '%E0%A4%A',
    () => '%FF%FE',
    () => 'x'.repeat(2000),
  ])();
}

function queryString(r: Rng, route: RouteInfo): string {
  const keys = [...fieldsOf(route.query), 'page', 'pageSize', 'q', 'a[b]', '__proto__', 'sort'];
  const parts: string[] = [];
  for (let i = r.int(5); i > 0; i -= 1) {
    const key = r.pick(keys);
    const value = r.pick([
      () => pct(randomString(r)),
      () => '%E0%A4%A',
      () => '%ZZ',
      () => String(r.int(200_000) - 100),
      () => 'x'.repeat(r.int(6000)),
    ])();
    parts.push(`${key}=${value}`);
    if (r.chance(0.2)) parts.push(`${key}=${value}`); // repeated key
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function body(r: Rng, route: RouteInfo): { text?: string; type?: string } {
  const kind = r.int(10);
  if (kind === 0) return {};
  if (kind === 1) return { text: r.pick(['[]', '"text"', '42', 'null', 'true', '{', '{"a":', deepJson(5000), '{"__proto__":{"x":1}}']), type: 'application/json' };
  if (kind === 2) return { text: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('latin1'), type: 'application/json' };
  if (kind === 3) return { text: 'a=1&b=2', type: r.pick(['application/x-www-form-urlencoded', 'text/plain', 'text/xml', 'application/octet-stream']) };
  if (kind === 4) return { text: JSON.stringify(randomValue(r, 4)), type: 'application/json' };
  return { text: JSON.stringify(randomObject(r, fieldsOf(route.body))), type: r.chance(0.9) ? 'application/json' : 'application/json; charset=latin1' };
}

function headers(r: Rng, caller: { token?: string }, contentType?: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (caller.token) out.authorization = r.chance(0.9) ? `Bearer ${caller.token}` : `Bearer ${caller.token.slice(0, -1)}x`;
  else if (r.chance(0.3)) out.authorization = r.pick(['Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', `Bearer ${'a'.repeat(43)}`, 'Bearer ../..']);
  if (contentType) out['content-type'] = contentType;
  if (r.chance(0.2)) out['x-forwarded-for'] = r.pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1']);
  if (r.chance(0.1)) out['accept'] = r.pick(['text/html', '*/*', 'application/xml']);
  if (r.chance(0.1)) out['content-encoding'] = r.pick(['gzip', 'br', 'identity', 'x-unknown']);
  if (r.chance(0.1)) out['x-junk'] = r.pick(['', 'é', '\t', 'y'.repeat(r.chance(0.5) ? 8_000 : 20_000)]);
  if (r.chance(0.1)) out.cookie = r.pick(['a=b', 'session=../../', `x=${'c'.repeat(4000)}`]);
  if (r.chance(0.05)) out['x-http-method-override'] = r.pick(['DELETE', 'PATCH']);
  return out;
}

describe(`API routes fuzz (seed ${SEED})`, () => {
  it('never answers 5xx, answers 4xx in the error shape, stores nothing for 4xx', async () => {
    const r = rng(SEED);
    // Logging out would end the callers' sessions for the rest of the run: only anonymous there.
    const routes = server.qiao.routes.filter((route) => route.path !== '/api/v1/openapi.json');
    expect(routes.length).toBeGreaterThan(30);
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND'];

    const { statuses, checkedBatches } = await runBatches(routes.length * 8, 6, (index) => {
      const route = routes[index % routes.length]!;
      const caller = route.path === '/api/v1/auth/logout' ? callers[3]! : r.pick(callers);
      const method = r.chance(0.9) ? route.method : r.pick(methods);
      const requestPath = route.path.replace(/:(\w+)/g, () => routeId(r)) + queryString(r, route);
      const { text, type } = method === 'GET' || method === 'OPTIONS' ? {} : body(r, route);
      const requestHeaders = headers(r, caller, type);
      const label = `${method} ${requestPath.slice(0, 200)} as ${caller.name} body=${(text ?? '').slice(0, 120)}`;
      return async () => ({
        label,
        path: requestPath,
        response: await rawRequest(server.url, { method, path: requestPath, headers: requestHeaders, body: text === undefined ? undefined : Buffer.from(text, 'latin1') }),
      });
    });
    console.log(`seed ${SEED}: statuses`, JSON.stringify(statuses), `checked batches ${checkedBatches}`);
    expect(statuses[200] ?? 0).toBeGreaterThan(0);
    expect(checkedBatches).toBeGreaterThan(10);
    expect(await call(server.url, '/healthz')).toMatchObject({ status: 200 });
  }, 120_000);

  it('answers malformed URLs and odd methods in the error shape', async () => {
    const cases: { method: string; path: string }[] = [
      { method: 'GET', path: '/api/v1/customers/%E0%A4%A' },
      { method: 'GET', path: '/api/v1/customers?q=%E0%A4%A&page=1&page=2' },
      { method: 'GET', path: '/api/v1/%ZZ' },
      { method: 'GET', path: `/api/v1/customers?q=${'x'.repeat(7000)}` },
      { method: 'PUT', path: '/api/v1/auth/login' },
      { method: 'PROPFIND', path: '/api/v1/customers' },
      { method: 'DELETE', path: '/healthz' },
      { method: 'GET', path: '/admin/%E0%A4%A' },
      { method: 'GET', path: '/h5/..%2f..%2fpackage.json' },
      { method: 'POST', path: '/wechat/oa/%FF' },
    ];
    for (const { method, path: requestPath } of cases) {
      const response = await rawRequest(server.url, { method, path: requestPath });
      expect(response.status, `${method} ${requestPath}: ${response.text.slice(0, 200)}`).toBeLessThan(500);
      if (requestPath.startsWith('/api/') || response.status === 405) {
        expect(JSON.parse(response.text), `${method} ${requestPath}`).toEqual({ error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) });
      }
    }
  });
});
