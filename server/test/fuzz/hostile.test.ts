// Hostile requests that once crashed the server or answered 5xx / outside the error shape, each
// pinned down: impossible dates, methods, bodies that are not JSON objects, security headers, and
// a truncated upload against a real server process (which it used to kill).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProductArchive } from '../../src/modules/customers/product-archive.model.js';
import { adminToken, createCustomerViaApi, mpSession } from '../helpers/factories.js';
import { freshDatabaseUri } from '../helpers/db.js';
import { spawnServer } from '../helpers/process.js';
import { call, startTestServer, testEnv, type TestServer } from '../helpers/server.js';
import { rawRequest } from './fuzz.js';

let server: TestServer;
let admin: string;
let customerId: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = await adminToken(server);
  customerId = (await createCustomerViaApi(server, admin)).id;
});
afterAll(async () => {
  await server?.stop();
});

describe('impossible dates', () => {
  it.each([
    ['2026-99-99', '2027-01-01'],
    ['2026-13-01', '2027-01-01'],
    ['2026-02-30', '2027-01-01'],
    ['2025-01-01', '2026-02-29'],
  ])('product archive installedAt %s / warrantyEndsAt %s → 400 VALIDATION_FAILED, nothing stored', async (installedAt, warrantyEndsAt) => {
    const before = await ProductArchive.countDocuments();
    const response = await call(server.url, '/api/v1/products', {
      token: admin,
      body: { serialNumber: `SN-${installedAt}`, model: 'KFR-72LW', productLine: '空调', customerId, installedAt, warrantyEndsAt },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(await ProductArchive.countDocuments()).toBe(before);
  });

  it('a real leap day is accepted', async () => {
    const response = await call(server.url, '/api/v1/products', {
      token: admin,
      body: { serialNumber: 'SN-LEAP-2028', model: 'KFR-72LW', productLine: '空调', customerId, installedAt: '2024-02-29', warrantyEndsAt: '2028-02-29' },
    });
    expect(response.status).toBe(201);
  });

  it.each(['from=2026-99-99', 'to=2026-02-30', 'from=2026-13-01&to=2026-14-01'])('service request list ?%s → 400', async (query) => {
    const response = await call(server.url, `/api/v1/feedbacks?${query}`, { token: admin });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('a requested completion time on 30 February → 400 before anything is looked up', async () => {
    const customer = await mpSession(server);
    const response = await call(server.url, '/api/v1/feedbacks', {
      token: customer.token,
      body: { clientRequestId: '0b6c2a4e-8d1f-4e57-9a0b-3c2d1e0f9a8b', type: 'repair', description: '空调不制冷', requestedBy: '2026-02-30T10:00:00+08:00' },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});

describe('methods and bodies', () => {
  it('405 in the error shape with an Allow header', async () => {
    const response = await fetch(`${server.url}/api/v1/auth/login`, { method: 'PUT' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toContain('POST');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: '不支持该请求方法' } });
  });

  it('a method no route uses (501 by the router) → 405 in the error shape', async () => {
    const response = await rawRequest(server.url, { method: 'PROPFIND', path: '/api/v1/customers' });
    expect(response.status).toBe(405);
    expect(JSON.parse(response.text).error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it.each(['[]', '[{"username":"admin"}]'])('a JSON body that is not an object (%s) → 400', async (body) => {
    const response = await call(server.url, '/api/v1/auth/logout', { method: 'POST', token: admin, body });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('BAD_REQUEST');
    // The session survived: the request was refused, not half-handled.
    expect((await call(server.url, '/api/v1/auth/me', { token: admin })).status).toBe(200);
  });

  it.each(['"text"', '42', 'null', '{"a":', '{"a":"\u0000'])('malformed JSON %s → 400', async (body) => {
    const response = await call(server.url, '/api/v1/customers', { token: admin, body });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toMatch(/^(BAD_REQUEST|VALIDATION_FAILED)$/);
  });

  it('a form or text body to the JSON API → 415 (never read as an empty object)', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain']) {
      const response = await rawRequest(server.url, { method: 'POST', path: '/api/v1/auth/logout', headers: { 'content-type': type, authorization: `Bearer ${admin}` }, body: 'a=1' });
      expect(response.status, type).toBe(415);
      expect(JSON.parse(response.text).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    expect((await call(server.url, '/api/v1/auth/me', { token: admin })).status).toBe(200);
  });

  it('a gzip body that is not gzip → 400', async () => {
    const response = await rawRequest(server.url, { method: 'POST', path: '/api/v1/customers', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${admin}` }, body: '{}' });
    expect(response.status).toBe(400);
  });

  it('a URL past Node\'s header limit → 431 in the error shape', async () => {
    const response = await rawRequest(server.url, { method: 'GET', path: `/api/v1/customers?q=${'x'.repeat(20_000)}` });
    expect(response.status).toBe(431);
    expect(JSON.parse(response.text).error.code).toBe('HEADERS_TOO_LARGE');
  });
});

describe('security headers', () => {
  it.each(['/admin/', '/h5/'])('%s carries a CSP, frame and sniffing protection', async (page) => {
    const response = await fetch(`${server.url}${page}`);
    if (response.status === 503) return; // the app is not built in this checkout
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
  });

  it('API errors are not cached and not sniffed', async () => {
    const response = await fetch(`${server.url}/api/v1/customers`);
    expect(response.status).toBe(401);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('a truncated upload against a real server process', () => {
  it('answers 400 UPLOAD_MALFORMED and the process keeps serving', async () => {
    const child = await spawnServer(testEnv(server.sandbox.url, freshDatabaseUri()));
    try {
      const minted = await call(server.sandbox.url, '/mp/login-code', { body: { openid: 'oTruncatedUpload1' } });
      const login = await call(child.url, '/api/v1/auth/mp-login', { body: { code: minted.body.code } });
      expect(login.status).toBe(200);
      const body = Buffer.concat([
        Buffer.from('--B\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'),
        Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]),
      ]);
      const response = await rawRequest(child.url, {
        method: 'POST',
        path: '/api/v1/uploads',
        headers: { authorization: `Bearer ${login.body.token}`, 'content-type': 'multipart/form-data; boundary=B' },
        body,
      });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text).error.code).toBe('UPLOAD_MALFORMED');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(child.child.exitCode).toBeNull();
      expect((await call(child.url, '/healthz')).status).toBe(200);
    } finally {
      expect(await child.stop()).toBe(0);
    }
  }, 90_000);
});

describe('last-resort error policy', () => {
  it('an escaped rejection and exception are logged and the process keeps serving', async () => {
    const preload = path.join(path.dirname(fileURLToPath(import.meta.url)), 'escape-preload.mjs');
    const child = await spawnServer({
      ...testEnv(server.sandbox.url, freshDatabaseUri()),
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim(),
    });
    try {
      child.child.kill('SIGUSR2');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(child.child.exitCode).toBeNull();
      expect((await call(child.url, '/healthz')).status).toBe(200);
      expect(child.output()).toContain('escaped rejection (test)');
      expect(child.output()).toContain('escaped exception (test)');
      expect(child.output().match(/outside any request handler; still serving/g)).toHaveLength(2);
    } finally {
      expect(await child.stop()).toBe(0);
    }
  }, 90_000);
});
