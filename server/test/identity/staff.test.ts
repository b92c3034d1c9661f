// Staff management, invite codes and the mini-program binding of a staff member's WeChat, on the
// real database. A bound mini-program session resolves to the staff member.
import { describe, expect, it } from 'vitest';
import { InviteCode } from '../../src/modules/identity/invite-code.model.js';
import { resolveSession } from '../../src/modules/identity/session.service.js';
import { bindStaffByInviteCode } from '../../src/modules/identity/staff-binding.service.js';
import { Staff } from '../../src/modules/identity/staff.model.js';
import { AppError } from '../../src/errors.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { adminToken, mpSession, staffLogin, staffSession, unique } from '../helpers/factories.js';

let server: TestServer;
let admin: string;
let adminId: string;
let dispatcher: string;
/** The department engineers are created in (a node of the department tree). */
let east: string;

useTestServer(async (started) => {
  server = started;
  admin = await adminToken(server);
  east = (await call(server.url, '/api/v1/departments', { token: admin, body: { name: '华东服务部' } })).body.id;
  adminId = (await call(server.url, '/api/v1/auth/me', { token: admin })).body.user.id;
  // Dispatchers issue invite codes for the engineers of their own department (华东服务部 below).
  dispatcher = (await staffSession(server, 'dispatcher', { department: east })).token;
});

const api = (path: string, token: string, options: { method?: string; body?: unknown } = {}) => call(server.url, path, { token, ...options });

function engineerBody(extra: Record<string, unknown> = {}) {
  return {
    username: unique('Eng'),
    name: '工程师小赵',
    password: 'engineer-pass-1',
    role: 'engineer',
    department: east,
    phone: '13912345678',
    regions: ['上海', '苏州'],
    productLines: ['空调'],
    ...extra,
  };
}

async function createEngineer(extra: Record<string, unknown> = {}) {
  const response = await api('/api/v1/staff', admin, { body: engineerBody(extra) });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; username: string; name: string };
}

async function inviteCode(staffId: string, token = admin): Promise<string> {
  const response = await api(`/api/v1/staff/${staffId}/invite-code`, token, { method: 'POST' });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.code as string;
}

const bind = (token: string, inviteCode: string) => api('/api/v1/me/staff-binding', token, { body: { inviteCode } });

describe('staff management', () => {
  it('admin creates staff; usernames are unique regardless of case', async () => {
    const body = engineerBody();
    const created = await api('/api/v1/staff', admin, { body });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      username: body.username.toLowerCase(),
      name: '工程师小赵',
      role: 'engineer',
      department: east,
      departmentName: '华东服务部',
      phone: '13912345678',
      regions: ['上海', '苏州'],
      productLines: ['空调'],
      active: true,
      wechatBound: false,
      openWorkOrders: 0,
    });
    expect(JSON.stringify(created.body)).not.toContain('password');
    await staffLogin(server, body.username, body.password);

    const taken = await api('/api/v1/staff', admin, { body: engineerBody({ username: body.username.toUpperCase() }) });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('USERNAME_TAKEN');
    const invalid = await api('/api/v1/staff', admin, { body: engineerBody({ password: 'short', role: 'boss' }) });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.error.details).sort()).toEqual(['password', 'role']);
  });

  it('only admin creates and edits; dispatchers and managers may list; others may not', async () => {
    const engineer = await createEngineer();
    expect((await api('/api/v1/staff', dispatcher, { body: engineerBody() })).status).toBe(403);
    expect((await api(`/api/v1/staff/${engineer.id}`, dispatcher, { method: 'PUT', body: engineerBody() })).status).toBe(403);
    const manager = (await staffSession(server, 'manager')).token;
    expect((await api('/api/v1/staff', manager)).status).toBe(200);
    for (const role of ['sales', 'engineer', 'marketer'] as const) {
      expect((await api('/api/v1/staff', (await staffSession(server, role)).token)).status, role).toBe(403);
    }
  });

  // 在办工单 is counted from real work orders in open-work-orders.test.ts.
  it('lists with role filter, search and paging', async () => {
    const name = unique('搜索工程师');
    const engineer = await createEngineer({ name });
    const found = await api(`/api/v1/staff?q=${encodeURIComponent(name)}`, dispatcher);
    expect(found.body.total).toBe(1);
    expect(found.body.items[0]).toMatchObject({ id: engineer.id, name });

    const engineers = await api('/api/v1/staff?role=engineer&pageSize=2', dispatcher);
    expect(engineers.body.items.every((s: { role: string }) => s.role === 'engineer')).toBe(true);
    expect(engineers.body.items).toHaveLength(2);
    expect(engineers.body.total).toBeGreaterThanOrEqual(3);
    expect((await api('/api/v1/staff?role=boss', dispatcher)).status).toBe(400);
    expect((await api('/api/v1/staff?q[$regex]=.', dispatcher)).status).toBe(400);
  });

  it('admin edits role, areas, password and status, but cannot deactivate or demote themselves', async () => {
    const body = engineerBody();
    const engineer = await createEngineer(body);
    const session = await staffLogin(server, body.username, body.password);
    const update = { name: '赵工', role: 'engineer', department: '', phone: '', regions: ['杭州'], productLines: [], active: true, password: 'new-password-1' };
    const updated = await api(`/api/v1/staff/${engineer.id}`, admin, { method: 'PUT', body: update });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: '赵工', department: '', phone: '', regions: ['杭州'], productLines: [], active: true });
    await staffLogin(server, body.username, 'new-password-1');

    const off = await api(`/api/v1/staff/${engineer.id}`, admin, { method: 'PUT', body: { ...update, active: false } });
    expect(off.body.active).toBe(false);
    expect((await api('/api/v1/auth/me', session)).status).toBe(401);

    const self = { name: '系统管理员', role: 'admin', active: false };
    const deactivate = await api(`/api/v1/staff/${adminId}`, admin, { method: 'PUT', body: self });
    expect(deactivate.status).toBe(400);
    expect(deactivate.body.error).toEqual({ code: 'CANNOT_DEACTIVATE_SELF', message: '不能停用自己的账号' });
    const demote = await api(`/api/v1/staff/${adminId}`, admin, { method: 'PUT', body: { ...self, role: 'sales', active: true } });
    expect(demote.body.error.code).toBe('CANNOT_CHANGE_OWN_ROLE');
    expect((await api('/api/v1/staff/0123456789abcdef01234567', admin, { method: 'PUT', body: update })).status).toBe(404);
  });
});

describe('invite codes and binding', () => {
  it('binds a mini-program user to the engineer; the same session then acts as the engineer', async () => {
    const engineer = await createEngineer({ name: '绑定工程师' });
    const response = await api(`/api/v1/staff/${engineer.id}/invite-code`, dispatcher, { method: 'POST' });
    expect(response.status).toBe(201);
    expect(response.body.code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
    const days = (Date.parse(response.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);

    const person = await mpSession(server);
    const bound = await bind(person.token, response.body.code.toLowerCase());
    expect(bound.status).toBe(200);
    expect(bound.body.user).toMatchObject({ id: person.userId, staff: { id: engineer.id, name: '绑定工程师', role: 'engineer' } });

    // The same token: /me still answers, and the session is now the engineer.
    const me = await api('/api/v1/me', person.token);
    expect(me.status).toBe(200);
    expect(me.body.user.staff).toEqual({ id: engineer.id, name: '绑定工程师', role: 'engineer' });
    const principal = await resolveSession(person.token);
    expect(principal).toMatchObject({ kind: 'staff', staffId: engineer.id, role: 'engineer', wechatUserId: person.userId });
    expect((await api('/api/v1/auth/me', person.token)).body.user.id).toBe(engineer.id);
    // Staff-only routes of other roles still say no; customer-only routes are not theirs now.
    expect((await api('/api/v1/customers', person.token)).status).toBe(403);
    expect((await api('/api/v1/me/verification/code', person.token, { body: { phone: '13800000000' } })).body.error.code).toBe('CUSTOMER_ONLY');
    // A console session is not a mini-program session.
    expect((await api('/api/v1/me', admin)).body.error.code).toBe('WECHAT_ONLY');

    const listed = await api(`/api/v1/staff?q=${encodeURIComponent('绑定工程师')}`, dispatcher);
    expect(listed.body.items[0].wechatBound).toBe(true);

    // Deactivated: the mini-program session is an ordinary customer again.
    await Staff.updateOne({ _id: engineer.id }, { $set: { active: false } });
    expect(await resolveSession(person.token)).toMatchObject({ kind: 'customer', wechatUserId: person.userId });
    expect((await api('/api/v1/me', person.token)).body.user.staff).toBeNull();
  });

  it('codes work once, expire after 7 days, and a new code replaces the unused old one', async () => {
    const engineer = await createEngineer();
    const first = await inviteCode(engineer.id);
    const second = await inviteCode(engineer.id);
    const person = await mpSession(server);
    const stale = await bind(person.token, first);
    expect(stale.status).toBe(400);
    expect(stale.body.error.code).toBe('INVITE_CODE_INVALID');
    expect((await bind(person.token, second)).status).toBe(200);
    const used = await bind((await mpSession(server)).token, second);
    expect(used.status).toBe(400);
    expect(used.body.error.code).toBe('INVITE_CODE_USED');
    expect((await bind(person.token, 'ABCDEFGH')).body.error.code).toBe('INVITE_CODE_INVALID');
    expect((await bind(person.token, 'short')).status).toBe(400);

    const later = await inviteCode((await createEngineer()).id);
    const eightDays = new Date(Date.now() + 8 * 86_400_000);
    const error = await bindStaffByInviteCode(person.userId, later, { now: eightDays }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400, code: 'INVITE_CODE_EXPIRED' });
    expect((await InviteCode.findById(later).lean())?.usedAt).toBeNull();
  });

  it('binding again replaces the old pairing on both sides', async () => {
    const first = await createEngineer();
    const second = await createEngineer();
    const person = await mpSession(server);
    await bind(person.token, await inviteCode(first.id));
    const moved = await bind(person.token, await inviteCode(second.id));
    expect(moved.body.user.staff.id).toBe(second.id);
    expect((await Staff.findById(first.id).lean())?.wechatUserId).toBeNull();
    expect((await Staff.findById(second.id).lean())?.wechatUserId).toBe(person.userId);

    // Another WeChat user takes over the second engineer: the first user is unbound.
    const phone2 = await mpSession(server);
    await bind(phone2.token, await inviteCode(second.id));
    // The first user's session acted as the engineer: it ended. Logged in again, they are a customer.
    expect((await api('/api/v1/me', person.token)).status).toBe(401);
    expect(await resolveSession(person.token)).toBeNull();
    const again = await mpSession(server, person.openid);
    expect((await api('/api/v1/me', again.token)).body.user.staff).toBeNull();
    expect(await resolveSession(again.token)).toMatchObject({ kind: 'customer' });
    expect(await resolveSession(phone2.token)).toMatchObject({ kind: 'staff', staffId: second.id });
  });

  it('only admin invites staff other than engineers; inactive staff get no code', async () => {
    const manager = await api('/api/v1/staff', admin, { body: engineerBody({ role: 'manager' }) });
    const refused = await api(`/api/v1/staff/${manager.body.id}/invite-code`, dispatcher, { method: 'POST' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('系统管理员');
    expect((await api(`/api/v1/staff/${manager.body.id}/invite-code`, admin, { method: 'POST' })).status).toBe(201);
    const sales = (await staffSession(server, 'sales')).token;
    expect((await api(`/api/v1/staff/${manager.body.id}/invite-code`, sales, { method: 'POST' })).status).toBe(403);

    const engineer = await createEngineer();
    await Staff.updateOne({ _id: engineer.id }, { $set: { active: false } });
    const inactive = await api(`/api/v1/staff/${engineer.id}/invite-code`, admin, { method: 'POST' });
    expect(inactive.body.error.code).toBe('STAFF_INACTIVE');
    expect((await api('/api/v1/staff/0123456789abcdef01234567/invite-code', admin, { method: 'POST' })).status).toBe(404);
  });
});

describe('engineer colleagues', () => {
  it('an engineer lists active engineers to transfer to or work with; customers and sales cannot', async () => {
    const active = await createEngineer({ name: '工程师小钱' });
    const inactive = await createEngineer({ name: '离职的小孙' });
    expect((await api(`/api/v1/staff/${inactive.id}`, admin, { method: 'PUT', body: { ...engineerBody(), username: undefined, password: undefined, active: false } })).status).toBe(200);
    const engineer = await staffLogin(server, active.username, 'engineer-pass-1');

    const list = await api('/api/v1/engineers', engineer);
    expect(list.status).toBe(200);
    const names = list.body.items.map((item: { name: string }) => item.name);
    expect(names).toContain('工程师小钱');
    expect(names).not.toContain('离职的小孙');
    expect(list.body.items[0]).toEqual(expect.objectContaining({ regions: expect.any(Array), openWorkOrders: expect.any(Number) }));
    expect(list.body.items[0]).not.toHaveProperty('username');

    expect((await api('/api/v1/engineers', (await staffSession(server, 'sales')).token)).status).toBe(403);
    expect((await api('/api/v1/engineers', (await mpSession(server)).token)).status).toBe(403);
  });
});
