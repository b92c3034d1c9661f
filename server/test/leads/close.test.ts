// 关闭线索 with a reason from the fixed list (a note for 其他) and 重新打开: who may, from which
// states, and what the lead keeps.
import { beforeAll, describe, expect, it } from 'vitest';
import { Lead } from '../../src/modules/leads/lead.model.js';
import { LeadCollaborator } from '../../src/modules/leads/lead-collaborator.model.js';
import { adminToken, createStaffMember } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { makeLead, newCustomerBody } from './convert-helpers.js';

let server: TestServer;
useTestServer((s) => void (server = s));

type Staff = Awaited<ReturnType<typeof createStaffMember>>;
let sales: Staff;
let helper: Staff;
let otherSales: Staff;
let manager: Staff;
let farManager: Staff;

beforeAll(async () => {
  sales = await createStaffMember('sales', { department: '华东销售部' });
  helper = await createStaffMember('sales', { department: '华东销售部' });
  otherSales = await createStaffMember('sales', { department: '华东销售部' });
  manager = await createStaffMember('manager', { department: '华东销售部' });
  farManager = await createStaffMember('manager', { department: '华南销售部' });
});

const close = (id: string, token: string, body: unknown) => call(server.url, `/api/v1/leads/${id}/close`, { token, body });
const reopen = (id: string, token: string) => call(server.url, `/api/v1/leads/${id}/reopen`, { token, method: 'POST' });

async function sharedLead(): Promise<string> {
  const id = await makeLead({ ownerId: sales.id, department: '华东销售部', collaboratorIds: [helper.id] });
  await LeadCollaborator.create({ _id: `${id}:${helper.id}`, leadId: id, staffId: helper.id, at: new Date() });
  return id;
}

describe('POST /leads/:id/close', () => {
  it('closes with a reason and note; the lead keeps them; a closed lead is not closed or converted again', async () => {
    const id = await sharedLead();
    const closed = await close(id, helper.token, { reason: 'competitor', note: '已采购竞品' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closeReason: 'competitor', closeNote: '已采购竞品' });
    expect(closed.body.closedAt).toEqual(expect.any(String));
    expect(await Lead.findById(id).lean()).toMatchObject({ status: 'closed', closeReason: 'competitor' });

    const twice = await close(id, sales.token, { reason: 'invalid' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('LEAD_CLOSED');
    const convert = await call(server.url, `/api/v1/leads/${id}/convert`, { token: sales.token, body: newCustomerBody() });
    expect(convert.body.error.code).toBe('LEAD_CLOSED');
  });

  it('takes only the fixed reasons, and a note for 其他', async () => {
    const id = await makeLead({ ownerId: sales.id, department: '华东销售部' });
    for (const body of [{ reason: 'other' }, { reason: 'other', note: '   ' }, { reason: 'bored' }, {}, { reason: 'invalid', status: 'new' }]) {
      const refused = await close(id, sales.token, body);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await Lead.findById(id).lean())!.status).toBe('assigned');
    const other = await close(id, sales.token, { reason: 'other', note: '客户公司已注销' });
    expect(other.body).toMatchObject({ status: 'closed', closeReason: 'other', closeNote: '客户公司已注销' });
  });

  it('the owner, a collaborator, a manager in scope, admin; not another salesperson or a distant manager', async () => {
    const id = await makeLead({ ownerId: sales.id, department: '华东销售部' });
    expect((await close(id, otherSales.token, { reason: 'invalid' })).status).toBe(404);
    expect((await close(id, farManager.token, { reason: 'invalid' })).status).toBe(404);
    expect((await close(id, (await createStaffMember('marketer')).token, { reason: 'invalid' })).status).toBe(403);
    expect((await close(id, manager.token, { reason: 'no-need' })).status).toBe(200);
    const byAdmin = await close(await makeLead({ ownerId: sales.id }), await adminToken(server), { reason: 'unreachable' });
    expect(byAdmin.body.status).toBe('closed');
  });

  it('a converted lead cannot be closed', async () => {
    const id = await makeLead({ ownerId: sales.id, department: '华东销售部' });
    expect((await call(server.url, `/api/v1/leads/${id}/convert`, { token: sales.token, body: newCustomerBody() })).status).toBe(200);
    const refused = await close(id, sales.token, { reason: 'duplicate' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('LEAD_ALREADY_CONVERTED');
  });
});

describe('POST /leads/:id/reopen', () => {
  it('the owner or a manager reopens: back to 已分配 (新线索 without an owner); not a collaborator', async () => {
    const id = await sharedLead();
    await close(id, sales.token, { reason: 'unreachable' });
    const refused = await reopen(id, helper.token);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('LEAD_REOPEN_FORBIDDEN');
    expect((await reopen(id, otherSales.token)).status).toBe(404);
    const reopened = await reopen(id, sales.token);
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'assigned', closeReason: null, closeNote: '', closedAt: null });
    const again = await reopen(id, sales.token);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('LEAD_NOT_CLOSED');

    const unowned = await makeLead({ ownerId: null, department: '华东销售部' });
    expect((await close(unowned, manager.token, { reason: 'invalid' })).status).toBe(200);
    expect((await reopen(unowned, manager.token)).body.status).toBe('new');
  });
});
