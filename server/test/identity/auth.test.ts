// Staff login with lockout; mini-program login through the sandbox; every API route's access rule.
import { describe, expect, it } from 'vitest';
import { Staff } from '../../src/modules/identity/staff.model.js';
import { LoginAttempt } from '../../src/modules/identity/login-attempt.model.js';
import { LOGIN_POLICY } from '../../src/modules/identity/staff.service.js';
import { ADMIN_PASSWORD, call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
useTestServer((started) => {
  server = started;
});

const login = (username: string, password: string) => call(server.url, '/api/v1/auth/login', { body: { username, password } });

async function mintLoginCode(openid: string, unionid?: string): Promise<string> {
  const response = await call(server.sandbox.url, '/mp/login-code', { body: { openid, ...(unionid ? { unionid } : {}) } });
  expect(response.status).toBe(200);
  return response.body.code as string;
}

describe('staff login', () => {
  it('the first start created admin with QIAO_ADMIN_PASSWORD, hashed', async () => {
    const admin = await Staff.findOne({ username: 'admin' }).lean();
    expect(admin?.role).toBe('admin');
    expect(admin?.passwordHash).toMatch(/^scrypt\$/);
    expect(admin?.passwordHash).not.toContain(ADMIN_PASSWORD);
  });

  it('logs in, answers /me, and logs out', async () => {
    const response = await login('admin', ADMIN_PASSWORD);
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ username: 'admin', role: 'admin', name: '系统管理员' });
    const token = response.body.token as string;
    expect((await call(server.url, '/api/v1/auth/me', { token })).body.user.username).toBe('admin');
    expect((await call(server.url, '/api/v1/auth/logout', { token, method: 'POST' })).status).toBe(204);
    const after = await call(server.url, '/api/v1/auth/me', { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('SESSION_EXPIRED');
  });

  it('rejects bad input with a Chinese message and operator injection with 400', async () => {
    const empty = await call(server.url, '/api/v1/auth/login', { body: { username: 'admin' } });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: '提交的内容不正确' });
    expect(empty.body.error.details.password).toBeTruthy();
    const injection = await call(server.url, '/api/v1/auth/login', { body: { username: { $ne: '' }, password: { $ne: '' } } });
    expect(injection.status).toBe(400);
    const extra = await call(server.url, '/api/v1/auth/login', { body: { username: 'admin', password: 'x', $where: '1' } });
    expect(extra.status).toBe(400);
    const notJson = await call(server.url, '/api/v1/auth/login', { body: '{"username":', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toBeTruthy();
  });

  it('gives the same answer for an unknown account and a wrong password', async () => {
    const unknown = await login('nobody', 'whatever-1');
    const wrong = await login('admin', 'wrong-password');
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body.error).toEqual({ code: 'INVALID_CREDENTIALS', message: '账号或密码错误' });
    await LoginAttempt.deleteMany({ account: 'admin' });
  });

  it('locks the account after repeated failures, even for the right password, until the lock ends', async () => {
    const { createStaff } = await import('../../src/modules/identity/staff.service.js');
    await createStaff({ username: 'dispatcher1', name: '调度员小王', password: 'right-password-1', role: 'dispatcher', department: '服务部' });
    for (let attempt = 1; attempt < LOGIN_POLICY.maxFailures; attempt += 1) {
      expect((await login('dispatcher1', `wrong-${attempt}`)).status).toBe(401);
    }
    const locking = await login('dispatcher1', 'wrong-last');
    expect(locking.status).toBe(423);
    expect(locking.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(locking.body.error.message).toMatch(/请 \d+ 分钟后再试/);
    expect((await login('dispatcher1', 'right-password-1')).status).toBe(423);

    // The lock lapses (moved into the past rather than waiting 15 minutes).
    await LoginAttempt.updateMany({ account: 'dispatcher1' }, { $set: { at: new Date(Date.now() - LOGIN_POLICY.windowMs - 1000) } });
    const back = await login('dispatcher1', 'right-password-1');
    expect(back.status).toBe(200);
    expect(back.body.user).toMatchObject({ role: 'dispatcher', department: '服务部' });
  });
});

describe('mini-program login through the sandbox', () => {
  it('exchanges a wx.login code for a customer session; the code works once', async () => {
    const code = await mintLoginCode('oMpUser000001');
    const response = await call(server.url, '/api/v1/auth/mp-login', { body: { code } });
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ openid: 'oMpUser000001', verified: false, followsOfficialAccount: false });
    const token = response.body.token as string;

    const list = await call(server.url, '/api/v1/feedbacks', { token });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [], total: 0, page: 1, pageSize: 20, nextCursor: null });

    const again = await call(server.url, '/api/v1/auth/mp-login', { body: { code } });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('WECHAT_LOGIN_CODE_INVALID');
    const unknown = await call(server.url, '/api/v1/auth/mp-login', { body: { code: 'made-up-code' } });
    expect(unknown.status).toBe(400);
  });

  it('the same person logging in twice is one WeChat user', async () => {
    const first = await call(server.url, '/api/v1/auth/mp-login', { body: { code: await mintLoginCode('oMpUser000002', 'uUnion0002') } });
    const second = await call(server.url, '/api/v1/auth/mp-login', { body: { code: await mintLoginCode('oMpUser000002', 'uUnion0002') } });
    expect(second.body.user.id).toBe(first.body.user.id);
    expect(second.body.user.unionid).toBe('uUnion0002');
  });

  it('customers and staff cannot use each other\'s endpoints', async () => {
    const customer = await call(server.url, '/api/v1/auth/mp-login', { body: { code: await mintLoginCode('oMpUser000003') } });
    const staff = await login('admin', ADMIN_PASSWORD);
    expect((await call(server.url, '/api/v1/me', { token: staff.body.token })).status).toBe(403);
    expect((await call(server.url, '/api/v1/auth/me', { token: customer.body.token })).status).toBe(403);
    expect((await call(server.url, '/api/v1/feedbacks?page=0', { token: customer.body.token })).status).toBe(400);
    expect((await call(server.url, '/api/v1/feedbacks?status[$ne]=x', { token: customer.body.token })).status).toBe(400);
  });
});

describe('route declarations', () => {
  it('every API route declares its access, and the protected ones refuse anonymous callers', async () => {
    expect(server.qiao.routes.length).toBeGreaterThan(5);
    for (const route of server.qiao.routes) {
      expect(route.access, `${route.method} ${route.path}`).toBeDefined();
      expect(route.summary).toMatch(/[\u4e00-\u9fa5]/);
      if (route.access === 'public') continue;
      const path = route.path.replace(':id', '0123456789abcdef01234567');
      const response = await call(server.url, path, { method: route.method });
      expect(response.status, `${route.method} ${path}`).toBe(401);
      expect(response.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('unknown API paths answer the error shape in Chinese', async () => {
    const response = await call(server.url, '/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: 'NOT_FOUND', message: '请求的资源不存在' } });
  });
});

describe('OpenAPI document', () => {
  it('is generated from the declared routes with their shared schemas', async () => {
    const response = await call(server.url, '/api/v1/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    for (const route of server.qiao.routes) {
      const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(response.body.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    }
    const login = response.body.paths['/api/v1/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.required).toEqual(['username', 'password']);
    expect(login.security).toEqual([]);
    const list = response.body.paths['/api/v1/feedbacks'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toContain('page');
  });
});
