// Sessions end when they should: logout of every kind of session, a password reset or a
// deactivation ends all of a staff member's sessions (console and bound mini-program), a
// reactivation revives none, and a mini-program session acting as staff is shorter-lived.
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/modules/identity/session.model.js';
import { SESSION_LIFETIMES } from '../../src/modules/identity/session.service.js';
import { createStaff } from '../../src/modules/identity/staff.service.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { adminToken, bindEngineerWeChat, mpSession, staffLogin, unique } from '../helpers/factories.js';

let server: TestServer;
let admin: string;
useTestServer(async (started) => {
  server = started;
  admin = await adminToken(server);
});

const api = (path: string, token: string, options: { method?: string; body?: unknown } = {}) => call(server.url, path, { token, ...options });

async function engineerWithSessions() {
  const username = unique('eng').toLowerCase();
  const user = await createStaff({ username, name: '会话工程师', password: 'engineer-pass-1', role: 'engineer', department: null });
  const console1 = await staffLogin(server, username, 'engineer-pass-1');
  const console2 = await staffLogin(server, username, 'engineer-pass-1');
  const mini = await bindEngineerWeChat({ id: user.id });
  return { id: user.id, username, console1, console2, mini: mini.token, wechatUserId: mini.wechatUserId };
}

const update = (id: string, extra: Record<string, unknown>) =>
  api(`/api/v1/staff/${id}`, admin, {
    method: 'PUT',
    body: { name: '会话工程师', role: 'engineer', department: '', phone: '', regions: [], productLines: [], active: true, ...extra },
  });

describe('logout', () => {
  it('a customer logs out of the mini-program: the token stops working', async () => {
    const customer = await mpSession(server);
    expect((await api('/api/v1/me', customer.token)).status).toBe(200);
    expect((await api('/api/v1/auth/logout', customer.token, { method: 'POST' })).status).toBe(204);
    const after = await api('/api/v1/me', customer.token);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('SESSION_EXPIRED');
  });

  it('a bound engineer logs out of the mini-program; their console session stays', async () => {
    const engineer = await engineerWithSessions();
    expect((await api('/api/v1/auth/logout', engineer.mini, { method: 'POST' })).status).toBe(204);
    expect((await api('/api/v1/me', engineer.mini)).status).toBe(401);
    expect((await api('/api/v1/auth/me', engineer.console1)).status).toBe(200);
  });
});

describe('sessions end with a password reset or a deactivation', () => {
  it('a password reset ends every session of the staff member, console and mini-program', async () => {
    const engineer = await engineerWithSessions();
    expect((await api('/api/v1/auth/me', engineer.mini)).body.user.id).toBe(engineer.id);
    expect((await update(engineer.id, { password: 'another-pass-2' })).status).toBe(200);
    for (const token of [engineer.console1, engineer.console2, engineer.mini]) {
      expect((await api('/api/v1/auth/me', token)).status).toBe(401);
    }
    // The new password logs in; the admin who reset it is still logged in.
    expect((await api('/api/v1/auth/me', await staffLogin(server, engineer.username, 'another-pass-2'))).status).toBe(200);
    expect((await api('/api/v1/auth/me', admin)).status).toBe(200);
  });

  it('a deactivation ends them, and reactivating does not revive an old token', async () => {
    const engineer = await engineerWithSessions();
    expect((await update(engineer.id, { active: false })).status).toBe(200);
    // While disabled, the mini-program logs in again as an ordinary customer…
    const { createSession, resolveSession } = await import('../../src/modules/identity/session.service.js');
    const meanwhile = await createSession('customer', engineer.wechatUserId);
    expect(await resolveSession(meanwhile.token)).toMatchObject({ kind: 'customer' });
    expect((await update(engineer.id, { active: true })).status).toBe(200);
    // …and that session does not turn into the engineer's on reactivation either.
    for (const token of [engineer.console1, engineer.console2, engineer.mini, meanwhile.token]) {
      expect((await api('/api/v1/auth/me', token)).status).toBe(401);
    }
    expect((await api('/api/v1/auth/me', await staffLogin(server, engineer.username, 'engineer-pass-1'))).status).toBe(200);
  });

  it('a session being written while the account was disabled does not survive it', async () => {
    const engineer = await engineerWithSessions();
    // A session whose record is older than the moment the sessions were ended, but not deleted.
    await update(engineer.id, { active: false });
    const { createSession } = await import('../../src/modules/identity/session.service.js');
    const late = await createSession('staff', engineer.id, new Date());
    // createdAt is immutable through mongoose: the driver's collection writes it.
    await Session.collection.updateMany({ subjectId: engineer.id, kind: 'staff' }, { $set: { createdAt: new Date(Date.now() - 60_000) } });
    await update(engineer.id, { active: true });
    expect((await api('/api/v1/auth/me', late.token)).status).toBe(401);
  });
});

describe('session lifetimes', () => {
  it('a mini-program session acting as staff ends after 7 days; a customer\'s lasts 30', async () => {
    const engineer = await engineerWithSessions();
    const customer = await mpSession(server);
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
    await Session.collection.updateMany({ kind: 'customer' }, { $set: { createdAt: eightDaysAgo } });
    expect((await api('/api/v1/auth/me', engineer.mini)).status).toBe(401);
    expect((await api('/api/v1/me', customer.token)).status).toBe(200);
    expect(SESSION_LIFETIMES.boundStaffMs).toBe(7 * 86_400_000);

    const fresh = await mpSession(server);
    const login = await Session.find({ subjectId: fresh.userId }).lean();
    expect(login[0]!.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
  });
});
