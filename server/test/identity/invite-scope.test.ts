// Invite codes cannot take over an engineer: only staff the issuer manages, an already-bound
// member only with an admin's code, and a re-binding tells both WeChat users and is recorded.
import { describe, expect, it } from 'vitest';
import { managesStaff } from '../../src/modules/identity/staff-scope.js';
import { createDepartment } from '../../src/modules/org/department.service.js';
import { Staff } from '../../src/modules/identity/staff.model.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { adminToken, bindEngineerWeChat, createEngineer, customerSession, staffSession } from '../helpers/factories.js';
import { eventually } from '../service/scenario.js';

let server: TestServer;
let admin: string;
useTestServer(async (started) => {
  server = started;
  admin = await adminToken(server);
});

const api = (path: string, token: string, options: { method?: string; body?: unknown } = {}) => call(server.url, path, { token, ...options });
const issue = (staffId: string, token: string) => api(`/api/v1/staff/${staffId}/invite-code`, token, { method: 'POST' });

describe('managesStaff', () => {
  const engineer = (department: string | null) => ({ role: 'engineer', department });
  it('admin manages anyone; dispatchers and managers the engineers of their own department', async () => {
    expect(await managesStaff({ role: 'admin', department: null }, { role: 'manager', department: '其他部' })).toBe(true);
    expect(await managesStaff({ role: 'dispatcher', department: '华东服务部' }, engineer('华东服务部'))).toBe(true);
    expect(await managesStaff({ role: 'manager', department: '华东服务部' }, engineer('华东服务部'))).toBe(true);
    expect(await managesStaff({ role: 'dispatcher', department: '华东服务部' }, engineer('华南服务部'))).toBe(false);
    expect(await managesStaff({ role: 'dispatcher', department: null }, engineer(null))).toBe(false);
    expect(await managesStaff({ role: 'dispatcher', department: '华东服务部' }, { role: 'dispatcher', department: '华东服务部' })).toBe(false);
    expect(await managesStaff({ role: 'sales', department: '华东服务部' }, engineer('华东服务部'))).toBe(false);
  });

  it('and the engineers of their sub-departments, not of a parent or sibling', async () => {
    const region = await createDepartment({ name: `华东大区-${Date.now()}`, parentId: null });
    const city = await createDepartment({ name: '杭州服务站', parentId: region.id });
    const sibling = await createDepartment({ name: '南京服务站', parentId: region.id });
    const regionalManager = { role: 'manager' as const, department: region.id };
    const cityDispatcher = { role: 'dispatcher' as const, department: city.id };
    expect(await managesStaff(regionalManager, engineer(city.id))).toBe(true);
    expect(await managesStaff(regionalManager, engineer(region.id))).toBe(true);
    expect(await managesStaff(cityDispatcher, engineer(city.id))).toBe(true);
    expect(await managesStaff(cityDispatcher, engineer(region.id))).toBe(false);
    expect(await managesStaff(cityDispatcher, engineer(sibling.id))).toBe(false);
  });
});

describe('who may issue an invite code', () => {
  it('a dispatcher of another department cannot mint a code for an engineer', async () => {
    const engineer = await createEngineer({ department: '华东服务部' });
    const outsider = (await staffSession(server, 'dispatcher', { department: '华南服务部' })).token;
    const refused = await issue(engineer.id, outsider);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({ code: 'STAFF_NOT_MANAGED', message: '只能为本部门的服务工程师生成邀请码' });
    const noDepartment = (await staffSession(server, 'manager')).token;
    expect((await issue(engineer.id, noDepartment)).status).toBe(403);
    const own = (await staffSession(server, 'dispatcher', { department: '华东服务部' })).token;
    expect((await issue(engineer.id, own)).status).toBe(201);
  });

  it('only an admin may issue a code for an engineer whose WeChat is already bound', async () => {
    const engineer = await createEngineer({ department: '华东服务部' });
    const dispatcher = (await staffSession(server, 'dispatcher', { department: '华东服务部' })).token;
    // A code issued before the engineer bound their WeChat no longer re-binds it either.
    const early = await issue(engineer.id, dispatcher);
    expect(early.status).toBe(201);
    const real = await bindEngineerWeChat(engineer);

    const refused = await issue(engineer.id, dispatcher);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('STAFF_ALREADY_BOUND');
    expect(refused.body.error.message).toContain('系统管理员');

    const attacker = await customerSession({ verified: false });
    const takeover = await api('/api/v1/me/staff-binding', attacker.token, { body: { inviteCode: early.body.code } });
    expect(takeover.status).toBe(403);
    expect(takeover.body.error.code).toBe('STAFF_ALREADY_BOUND');
    expect((await Staff.findById(engineer.id).lean())?.wechatUserId).toBe(real.wechatUserId);
    expect((await api('/api/v1/auth/me', real.token)).body.user.id).toBe(engineer.id);
    expect((await api('/api/v1/auth/me', attacker.token)).status).toBe(403);
  });

  it('an admin re-binds: both WeChat users are told, the old session ends, and the console sees the event', async () => {
    const engineer = await createEngineer({ department: '华东服务部', name: '李工' });
    const oldWeChat = await customerSession({ verified: false, sandbox: server.sandbox.sandbox });
    const newWeChat = await customerSession({ verified: false, sandbox: server.sandbox.sandbox });
    const first = await issue(engineer.id, admin);
    expect((await api('/api/v1/me/staff-binding', oldWeChat.token, { body: { inviteCode: first.body.code } })).status).toBe(200);
    const second = await issue(engineer.id, admin);
    expect(second.status).toBe(201);
    const bound = await api('/api/v1/me/staff-binding', newWeChat.token, { body: { inviteCode: second.body.code } });
    expect(bound.status).toBe(200);
    expect(bound.body.user.staff.id).toBe(engineer.id);

    // The old WeChat's session acted as the engineer: it is over.
    expect((await api('/api/v1/me', oldWeChat.token)).status).toBe(401);

    const templates = (openid: string) => server.sandbox.sandbox.sent({ openid, kind: 'template' });
    const toOld = await eventually(() => templates(oldWeChat.oaOpenid), (sent) => sent.length >= 1);
    const toNew = await eventually(() => templates(newWeChat.oaOpenid), (sent) => sent.length >= 1);
    expect(toOld).toHaveLength(1);
    expect(toNew).toHaveLength(1);
    const data = (sent: typeof toOld) => (sent[0]!.payload as { data: Record<string, { value: string }> }).data;
    expect(data(toOld).phrase2!.value).toBe('已解绑');
    expect(data(toOld).thing1!.value).toContain('李工');
    expect(data(toNew).phrase2!.value).toBe('已绑定');

    const events = await api(`/api/v1/staff/${engineer.id}/binding-events`, admin);
    expect(events.status).toBe(200);
    expect(events.body.items.map((item: { replaced: boolean }) => item.replaced)).toEqual([true, false]);
    expect(events.body.items[0].issuedBy).toBe('系统管理员');
    const outsider = (await staffSession(server, 'dispatcher', { department: '华南服务部' })).token;
    expect((await api(`/api/v1/staff/${engineer.id}/binding-events`, outsider)).status).toBe(403);
  });
});
