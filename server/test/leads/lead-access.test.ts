// 数据权限 on every leads endpoint: admin all; a manager their department subtree; the owner and
// collaborators; not another salesperson; a marketer campaign leads read-only; dispatchers and
// engineers nothing. Out-of-scope records answer 404 like missing ones.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportLeads } from '../../src/modules/leads/lead.export.js';
import { Lead } from '../../src/modules/leads/lead.model.js';
import { createDepartment } from '../../src/modules/org/department.service.js';
import { adminToken, createStaffMember } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
useTestServer((s) => void (server = s));

type Staff = Awaited<ReturnType<typeof createStaffMember>>;
type Role = 'admin' | 'managerIn' | 'managerOut' | 'owner' | 'collaborator' | 'otherSales' | 'marketer' | 'dispatcher' | 'engineer';
const tokens = {} as Record<Role, string>;
let owner: Staff;
let collaborator: Staff;
let otherSales: Staff;
let target: Staff;
let leadId: string;
let campaignLeadId: string;
let east: string;

beforeAll(async () => {
  const sales = await createDepartment({ name: '销售部', parentId: null });
  east = (await createDepartment({ name: '华东组', parentId: sales.id })).id;
  const other = await createDepartment({ name: '其他部', parentId: null });
  tokens.admin = await adminToken(server);
  tokens.managerIn = (await createStaffMember('manager', { department: sales.id })).token;
  tokens.managerOut = (await createStaffMember('manager', { department: other.id })).token;
  owner = await createStaffMember('sales', { name: '负责人甲', department: east });
  collaborator = await createStaffMember('sales', { name: '协作人乙', department: east });
  otherSales = await createStaffMember('sales', { name: '同事丙', department: east });
  target = await createStaffMember('sales', { name: '接手丁', department: east });
  tokens.owner = owner.token;
  tokens.collaborator = collaborator.token;
  tokens.otherSales = otherSales.token;
  tokens.marketer = (await createStaffMember('marketer', { department: sales.id })).token;
  tokens.dispatcher = (await createStaffMember('dispatcher', { department: east })).token;
  tokens.engineer = (await createStaffMember('engineer', { department: east })).token;

  const created = await call(server.url, '/api/v1/leads', { token: owner.token, body: { company: '权限测试公司', name: '客户甲', phone: '13811112222' } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  leadId = created.body.lead.id;
  expect(created.body.lead).toMatchObject({ ownerId: owner.id, department: east, createdBy: owner.id });
  const shared = await call(server.url, `/api/v1/leads/${leadId}/collaborators`, { method: 'PUT', token: owner.token, body: { staffIds: [collaborator.id] } });
  expect(shared.body.collaborators).toEqual([{ id: collaborator.id, name: '协作人乙' }]);
  const campaign = await Lead.create({ name: '营销线索', company: '营销来源公司', source: 'campaign', ownerId: owner.id, department: east, status: 'assigned' });
  campaignLeadId = String(campaign._id);
});

const ALL: Role[] = ['admin', 'managerIn', 'managerOut', 'owner', 'collaborator', 'otherSales', 'marketer', 'dispatcher', 'engineer'];
async function statuses(request: (token: string) => Promise<{ status: number }>): Promise<Record<Role, number>> {
  const out = {} as Record<Role, number>;
  for (const role of ALL) out[role] = (await request(tokens[role])).status;
  return out;
}

describe('leads permission matrix', () => {
  it('detail', async () => {
    expect(await statuses((token) => call(server.url, `/api/v1/leads/${leadId}`, { token }))).toEqual({
      admin: 200, managerIn: 200, managerOut: 404, owner: 200, collaborator: 200, otherSales: 404, marketer: 404, dispatcher: 403, engineer: 403,
    });
    // A marketer reads campaign leads.
    expect((await call(server.url, `/api/v1/leads/${campaignLeadId}`, { token: tokens.marketer })).status).toBe(200);
  });

  it('list and export show the lead to exactly those who may see it', async () => {
    const listed = {} as Record<Role, boolean | number>;
    const exported = {} as Record<Role, boolean | number>;
    for (const role of ALL) {
      const list = await call(server.url, '/api/v1/leads?pageSize=100', { token: tokens[role] });
      listed[role] = list.status === 200 ? list.body.items.some((l: { id: string }) => l.id === leadId) : list.status;
      const response = await fetch(`${server.url}/api/v1/leads/export`, { headers: { authorization: `Bearer ${tokens[role]}` } });
      if (response.status !== 200) {
        exported[role] = response.status;
        continue;
      }
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(await response.arrayBuffer());
      const sheet = book.getWorksheet('线索')!;
      expect(sheet.getRow(1).getCell(1).value).toBe('公司名称');
      const companies: unknown[] = [];
      sheet.eachRow((row, n) => n > 1 && companies.push(row.getCell(1).value));
      exported[role] = companies.includes('权限测试公司');
    }
    const expected = { admin: true, managerIn: true, managerOut: false, owner: true, collaborator: true, otherSales: false, marketer: false, dispatcher: 403, engineer: 403 };
    expect(listed).toEqual(expected);
    expect(exported).toEqual(expected);
  });

  it('edit', async () => {
    expect(await statuses((token) => call(server.url, `/api/v1/leads/${leadId}`, { method: 'PATCH', token, body: { notes: '已沟通' } }))).toEqual({
      admin: 200, managerIn: 200, managerOut: 404, owner: 200, collaborator: 200, otherSales: 404, marketer: 403, dispatcher: 403, engineer: 403,
    });
  });

  it('collaborators', async () => {
    const put = (token: string) => call(server.url, `/api/v1/leads/${leadId}/collaborators`, { method: 'PUT', token, body: { staffIds: [collaborator.id] } });
    expect(await statuses(put)).toEqual({
      admin: 200, managerIn: 200, managerOut: 404, owner: 200, collaborator: 403, otherSales: 404, marketer: 403, dispatcher: 403, engineer: 403,
    });
  });

  it('assign and bulk assign', async () => {
    const assign = (token: string) => call(server.url, `/api/v1/leads/${leadId}/assign`, { token, body: { ownerId: owner.id } });
    expect(await statuses(assign)).toEqual({
      admin: 200, managerIn: 200, managerOut: 404, owner: 403, collaborator: 403, otherSales: 403, marketer: 403, dispatcher: 403, engineer: 403,
    });
    const bulk = await call(server.url, '/api/v1/leads/assign', { token: tokens.managerOut, body: { ids: [leadId], ownerId: target.id } });
    // Their own subtree holds no such salesperson either.
    expect(bulk.status).toBe(400);
    expect((await call(server.url, '/api/v1/leads/assign', { token: tokens.owner, body: { ids: [leadId], ownerId: target.id } })).status).toBe(403);
  });

  it('duplicate check and settings: sales and managers, not the others', async () => {
    const checked = await statuses((token) => call(server.url, '/api/v1/duplicates/check', { token, body: { phone: '13811112222' } }));
    expect(checked).toEqual({ admin: 200, managerIn: 200, managerOut: 200, owner: 200, collaborator: 200, otherSales: 200, marketer: 403, dispatcher: 403, engineer: 403 });
    const other = await call(server.url, '/api/v1/duplicates/check', { token: tokens.otherSales, body: { phone: '13811112222' } });
    expect(other.body.matches[0]).toMatchObject({ id: leadId, masked: true, phone: '138****2222', ownerName: '负责人甲' });
    const own = await call(server.url, '/api/v1/duplicates/check', { token: tokens.collaborator, body: { phone: '13811112222' } });
    expect(own.body.matches[0]).toMatchObject({ id: leadId, masked: false, phone: '13811112222' });
  });

  it('create: sales, managers and admin; a salesperson’s lead is their own whatever they send', async () => {
    const body = (n: number) => ({ company: `新建权限${n}公司`, name: `新建${n}`, ownerId: otherSales.id });
    const created = await statuses(async (token) => call(server.url, '/api/v1/leads', { token, body: body(Math.floor(Math.random() * 1e9)) }));
    expect(created).toMatchObject({ admin: 201, managerIn: 201, owner: 201, collaborator: 201, otherSales: 201, marketer: 403, dispatcher: 403, engineer: 403 });
    // The out-of-subtree manager may not give a lead to a salesperson outside it.
    expect(created.managerOut).toBe(400);
    const own = await call(server.url, '/api/v1/leads', { token: owner.token, body: body(1) });
    expect(own.body.lead.ownerId).toBe(owner.id);
  });
});

describe('assignment', () => {
  it('moves the lead with its new owner’s department, records who and when, and counts bulk changes', async () => {
    const elsewhere = await createDepartment({ name: '华南组', parentId: null });
    const south = await createStaffMember('sales', { name: '华南戊', department: elsewhere.id });
    const moved = await call(server.url, `/api/v1/leads/${leadId}/assign`, { token: tokens.admin, body: { ownerId: south.id } });
    expect(moved.body).toMatchObject({ ownerId: south.id, ownerName: '华南戊', department: elsewhere.id });
    expect(moved.body.assignedAt).not.toBeNull();
    expect(moved.body.assignedBy).not.toBeNull();
    // It left the 销售部 subtree and the old owner's hands (the collaborator keeps it).
    expect((await call(server.url, `/api/v1/leads/${leadId}`, { token: tokens.managerIn })).status).toBe(404);
    expect((await call(server.url, `/api/v1/leads/${leadId}`, { token: owner.token })).status).toBe(404);
    expect((await call(server.url, `/api/v1/leads/${leadId}`, { token: collaborator.token })).status).toBe(200);

    const ids = [leadId, campaignLeadId, '0123456789abcdef01234567'];
    const bulk = await call(server.url, '/api/v1/leads/assign', { token: tokens.admin, body: { ids, ownerId: target.id } });
    expect(bulk.body).toEqual({ changed: 2, unchanged: 0, notFound: ['0123456789abcdef01234567'] });
    const again = await call(server.url, '/api/v1/leads/assign', { token: tokens.managerIn, body: { ids: [leadId, campaignLeadId], ownerId: target.id } });
    expect(again.body).toEqual({ changed: 0, unchanged: 2, notFound: [] });
    const tooMany = await call(server.url, '/api/v1/leads/assign', { token: tokens.admin, body: { ids: Array.from({ length: 201 }, () => leadId), ownerId: target.id } });
    expect(tooMany.status).toBe(400);
    const inactive = await createStaffMember('sales', { active: false, department: east });
    expect((await call(server.url, '/api/v1/leads/assign', { token: tokens.admin, body: { ids: [leadId], ownerId: inactive.id } })).body.error.code).toBe('INVALID_LEAD_OWNER');
  });

  it('collaborators must be active sales or managers; removing one takes the lead from their list', async () => {
    const path = `/api/v1/leads/${campaignLeadId}/collaborators`;
    const engineer = await createStaffMember('engineer');
    const refused = await call(server.url, path, { method: 'PUT', token: tokens.admin, body: { staffIds: [engineer.id] } });
    expect(refused.body.error.code).toBe('INVALID_COLLABORATOR');
    await call(server.url, path, { method: 'PUT', token: tokens.admin, body: { staffIds: [otherSales.id] } });
    const mine = async () => (await call(server.url, '/api/v1/leads?pageSize=100', { token: otherSales.token })).body.items.map((l: { id: string }) => l.id);
    expect(await mine()).toContain(campaignLeadId);
    await call(server.url, path, { method: 'PUT', token: tokens.admin, body: { staffIds: [] } });
    expect(await mine()).not.toContain(campaignLeadId);
  });
});

describe('list filters', () => {
  it('mine, and a date range of China calendar days', async () => {
    const mine = await call(server.url, '/api/v1/leads?mine=1&pageSize=100', { token: tokens.admin });
    expect(mine.body.total).toBe(0);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const inRange = await call(server.url, `/api/v1/leads?from=${today}&to=${today}&pageSize=100`, { token: tokens.admin });
    expect(inRange.body.total).toBeGreaterThan(2);
    expect((await call(server.url, '/api/v1/leads?to=2020-01-01', { token: tokens.admin })).body.total).toBe(0);
    expect((await call(server.url, '/api/v1/leads?from=2026-02-30', { token: tokens.admin })).status).toBe(400);
    expect((await call(server.url, `/api/v1/leads?from=${today}&to=2020-01-01`, { token: tokens.admin })).status).toBe(400);
  });

  it('export refuses more rows than its cap with a clear 400', async () => {
    const admin = { kind: 'staff' as const, staffId: owner.id, role: 'admin' as const, department: null, sessionId: 'test' };
    await expect(exportLeads({}, admin, 2)).rejects.toMatchObject({ status: 400, code: 'LEAD_EXPORT_TOO_LARGE' });
    await expect(exportLeads({ q: '权限测试' }, admin, 2)).resolves.toBeInstanceOf(Buffer);
  });
});
