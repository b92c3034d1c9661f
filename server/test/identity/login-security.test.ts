// Staff login under attack: lockout and throttles that hold under real parallel requests, bounded
// password hashing, the password policy. Requests come from different loopback addresses
// (127.0.0.x) so each test has its own client address.
import http from 'node:http';
import { passwordProblem } from '@qiao/shared';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { Staff } from '../../src/modules/identity/staff.model.js';
import { createStaff, ensureInitialAdmin } from '../../src/modules/identity/staff.service.js';
import { LoginAttempt } from '../../src/modules/identity/login-attempt.model.js';
import { deleteOldLoginAttempts, LOGIN_POLICY } from '../../src/modules/identity/login-guard.js';
import { hashPassword, MAX_CONCURRENT_HASHES, passwordHashBacklog } from '../../src/modules/identity/password.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { adminToken, unique } from '../helpers/factories.js';

let server: TestServer;
useTestServer((started) => {
  server = started;
});

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: { error?: { code: string; message: string }; token?: string };
}

/** POST /api/v1/auth/login from a chosen local address (the server sees it as ctx.ip). */
function loginFrom(address: string, username: string, password: string): Promise<Answer> {
  const url = new URL('/api/v1/auth/login', server.url);
  const payload = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress: address, agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'], body: text ? JSON.parse(text) : {} }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

const tally = (answers: Answer[]) =>
  answers.reduce<Record<number, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});

async function newStaff(password = 'right-password-1') {
  const username = unique('sec').toLowerCase();
  await createStaff({ username, name: '安全测试', password, role: 'dispatcher', department: null });
  return username;
}

describe('lockout under concurrency', () => {
  it('40 parallel wrong passwords: at most 5 reach the password check, then even the right one is locked out', async () => {
    const username = await newStaff();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => loginFrom('127.0.0.3', username, `wrong-pass-${i}`)));
    const counts = tally(answers);
    expect(counts[401] ?? 0, JSON.stringify(counts)).toBeLessThanOrEqual(LOGIN_POLICY.maxFailures);
    expect((counts[401] ?? 0) + (counts[423] ?? 0), JSON.stringify(counts)).toBe(40);
    for (const answer of answers.filter((a) => a.status === 423)) expect(answer.body.error?.code).toBe('ACCOUNT_LOCKED');

    const right = await loginFrom('127.0.0.3', username, 'right-password-1');
    expect(right.status).toBe(423);
    expect(right.body.error?.message).toMatch(/请 1[45] 分钟后再试/);
    // Another address does not get around a lock.
    expect((await loginFrom('127.0.0.13', username, 'right-password-1')).status).toBe(423);

    // The lock lapses 15 minutes later (moved into the past rather than waited for).
    await LoginAttempt.updateMany({ account: username }, { $set: { at: new Date(Date.now() - LOGIN_POLICY.windowMs - 1000) } });
    expect((await loginFrom('127.0.0.3', username, 'right-password-1')).status).toBe(200);
  });

  it('an unknown account locks the same way, so the answers do not tell which accounts exist', async () => {
    const ghost = unique('ghost').toLowerCase();
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_POLICY.maxFailures + 1; i += 1) statuses.push((await loginFrom('127.0.0.14', ghost, `wrong-pass-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 423, 423]);
  });

  it('an admin password reset unlocks the account', async () => {
    const username = await newStaff();
    await Promise.all(Array.from({ length: 8 }, () => loginFrom('127.0.0.15', username, 'wrong-pass-1')));
    expect((await loginFrom('127.0.0.15', username, 'right-password-1')).status).toBe(423);
    const admin = await adminToken(server);
    const { body: list } = await call(server.url, `/api/v1/staff?q=${username}`, { token: admin });
    const member = list.items[0];
    const reset = await call(server.url, `/api/v1/staff/${member.id}`, {
      token: admin,
      method: 'PUT',
      body: { name: member.name, role: member.role, department: member.department, phone: '', regions: [], productLines: [], active: true, password: 'fresh-password-9' },
    });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect((await loginFrom('127.0.0.15', username, 'fresh-password-9')).status).toBe(200);
  });
});

describe('login throttles', () => {
  it('too many attempts from one address (any accounts) answer 429 with Retry-After; other addresses are not affected', async () => {
    const answers = await Promise.all(
      Array.from({ length: LOGIN_POLICY.addressLimit + 20 }, (_, i) => loginFrom('127.0.0.4', `nobody${i}`, 'wrong-pass-1')),
    );
    const throttled = answers.filter((a) => a.status === 429);
    expect(throttled.length, JSON.stringify(tally(answers))).toBeGreaterThanOrEqual(20);
    for (const answer of throttled) {
      expect(answer.body.error?.code).toBe('LOGIN_THROTTLED');
      expect(answer.body.error?.message).toMatch(/请 \d+ 秒后再试/);
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    }
    expect((await loginFrom('127.0.0.4', 'nobody-else', 'wrong-pass-1')).status).toBe(429);
    const username = await newStaff();
    expect((await loginFrom('127.0.0.5', username, 'right-password-1')).status).toBe(200);
  });

  it('too many logins on one account within a minute answer 429, even with the right password', async () => {
    const username = await newStaff();
    const statuses: number[] = [];
    for (let i = 0; i <= LOGIN_POLICY.accountLimit; i += 1) statuses.push((await loginFrom('127.0.0.6', username, 'right-password-1')).status);
    expect(statuses.slice(0, LOGIN_POLICY.accountLimit).every((status) => status === 200)).toBe(true);
    const last = await loginFrom('127.0.0.7', username, 'right-password-1');
    expect(last.status).toBe(429);
    expect(last.retryAfter).toBe('60');
  });

  it('a burst of 100 logins is turned away quickly and /healthz keeps answering', async () => {
    const username = await newStaff();
    const started = Date.now();
    const burst = Promise.all(Array.from({ length: 100 }, (_, i) => loginFrom('127.0.0.8', i % 2 ? username : `someone${i}`, 'wrong-pass-1')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const healthStarted = Date.now();
    const health = await fetch(`${server.url}/healthz`);
    const healthMs = Date.now() - healthStarted;
    const answers = await burst;
    const elapsed = Date.now() - started;
    expect(health.status).toBe(200);
    // Generous: the machine running the tests may be busy; unbounded hashing took far longer.
    expect(healthMs).toBeLessThan(5000);
    const counts = tally(answers);
    // Half the burst is on one account (locked after 5), the rest on any accounts from one address.
    expect(counts[401] ?? 0, JSON.stringify(counts)).toBeLessThanOrEqual(LOGIN_POLICY.addressLimit);
    expect(counts[429] ?? 0, JSON.stringify(counts)).toBeGreaterThan(0);
    expect((counts[401] ?? 0) + (counts[423] ?? 0) + (counts[429] ?? 0)).toBe(100);
    expect(elapsed).toBeLessThan(30_000);
  });

  it('password hashes run at most a few at a time; the rest wait in line', async () => {
    const hashes = Array.from({ length: MAX_CONCURRENT_HASHES + 4 }, (_, i) => hashPassword(`password-${i}`));
    await new Promise((resolve) => setImmediate(resolve));
    expect(passwordHashBacklog()).toBe(4);
    await Promise.all(hashes);
    expect(passwordHashBacklog()).toBe(0);
  });
});

describe('clean-up', () => {
  it('the hourly job removes attempts older than every window and keeps the recent ones', async () => {
    const old = new Date(Date.now() - 2 * 3600_000);
    await LoginAttempt.create({ _id: 'old-attempt', account: 'cleanup', address: '127.0.0.9', at: old, outcome: 'failed' });
    await LoginAttempt.create({ _id: 'new-attempt', account: 'cleanup', address: '127.0.0.9', at: new Date(), outcome: 'failed' });
    expect(await deleteOldLoginAttempts()).toBeGreaterThanOrEqual(1);
    expect(await LoginAttempt.exists({ _id: 'old-attempt' })).toBeNull();
    expect(await LoginAttempt.exists({ _id: 'new-attempt' })).not.toBeNull();
  });
});

describe('password policy', () => {
  it('needs 8 characters with letters and digits, not the account name, not a common password', () => {
    expect(passwordProblem('abc123')).toBe('密码至少 8 位');
    expect(passwordProblem('abcdefgh')).toBe('密码须同时包含字母和数字');
    expect(passwordProblem('12345678')).toBe('密码须同时包含字母和数字');
    expect(passwordProblem('Zhang2026', 'zhang2026')).toBe('密码不能与账号相同');
    expect(passwordProblem('Password123')).toBe('密码过于常见，请换一个');
    expect(passwordProblem('right-password-1', 'zhang')).toBeNull();
  });

  it('the staff API applies it on create and on reset, with Chinese messages', async () => {
    const admin = await adminToken(server);
    const body = { username: 'policy01', name: '策略', role: 'engineer', department: '', phone: '', regions: [], productLines: [] };
    const letters = await call(server.url, '/api/v1/staff', { token: admin, body: { ...body, password: 'onlyletters' } });
    expect(letters.status).toBe(400);
    expect(letters.body.error.details.password).toBe('密码须同时包含字母和数字');
    const same = await call(server.url, '/api/v1/staff', { token: admin, body: { ...body, password: 'Policy01' } });
    expect(same.body.error.details.password).toBe('密码不能与账号相同');
    const common = await call(server.url, '/api/v1/staff', { token: admin, body: { ...body, password: 'abc12345' } });
    expect(common.body.error.details.password).toBe('密码过于常见，请换一个');
    const created = await call(server.url, '/api/v1/staff', { token: admin, body: { ...body, password: 'good-pass-42' } });
    expect(created.status).toBe(201);
    const { username: _username, ...update } = body;
    const weakReset = await call(server.url, `/api/v1/staff/${created.body.id}`, {
      token: admin,
      method: 'PUT',
      body: { ...update, active: true, password: 'policy01' },
    });
    expect(weakReset.status).toBe(400);
    expect(weakReset.body.error.details.password).toBeTruthy();
  });

  // Last in this file: it empties the staff collection.
  it('QIAO_ADMIN_PASSWORD must meet it when it creates the first admin', async () => {
    await Staff.deleteMany({});
    const logger = createLogger('silent');
    await expect(ensureInitialAdmin('password1', logger)).rejects.toBeInstanceOf(ConfigError);
    await expect(ensureInitialAdmin('Admin123', logger)).rejects.toThrow(/QIAO_ADMIN_PASSWORD/);
    expect(await Staff.countDocuments({})).toBe(0);
    await ensureInitialAdmin('good-admin-2026', logger);
    expect(await Staff.countDocuments({ username: 'admin' })).toBe(1);
    // Later starts ignore the variable, whatever it says.
    await expect(ensureInitialAdmin('weak', logger)).resolves.toBeUndefined();
  });
});
