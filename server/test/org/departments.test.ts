// The department tree through the API (create, rename, move, delete and their refusals; who may
// manage it) and the start-up migration of free-text departments, on the real database.
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { DepartmentModel } from '../../src/modules/org/department.model.js';
import { legacyDepartmentId, migrateLegacyDepartments } from '../../src/db/migrations/legacy-departments.js';
import { isInSubtree, subtreeIds } from '../../src/modules/org/department.service.js';
import { adminToken, createCustomer, createStaffMember, staffSession, unique } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: string;

useTestServer(async (started) => {
  server = started;
  admin = await adminToken(server);
});

const api = (path: string, options: { method?: string; body?: unknown; token?: string } = {}) =>
  call(server.url, `/api/v1${path}`, { token: admin, ...options });

async function create(name: string, parentId: string | null = null): Promise<string> {
  const response = await api('/departments', { body: { name, parentId } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id as string;
}

type Node = { id: string; name: string; parentId: string | null; children: Node[] };
const find = (nodes: Node[], id: string): Node | undefined => {
  for (const node of nodes) {
    if (node.id === id) return node;
    const inner = find(node.children, id);
    if (inner) return inner;
  }
  return undefined;
};

describe('department tree', () => {
  it('creates nested departments in order and answers them as a tree to every staff role', async () => {
    const root = await create(unique('华东大区'));
    const second = await create('上海', root);
    const first = await api('/departments', { body: { name: '杭州', parentId: root, order: 0 } });
    await api(`/departments/${second}`, { method: 'PUT', body: { order: 5 } });
    const engineer = (await staffSession(server, 'engineer')).token;
    const tree = await api('/departments', { token: engineer });
    expect(tree.status).toBe(200);
    const node = find(tree.body.items, root)!;
    expect(node.parentId).toBeNull();
    expect(node.children.map((child) => child.name)).toEqual(['杭州', '上海']);
    expect(node.children[0]).toMatchObject({ id: first.body.id, parentId: root, children: [] });
    expect(await subtreeIds(root)).toEqual(expect.arrayContaining([root, first.body.id, second]));
    expect(await isInSubtree(root, second)).toBe(true);
    expect(await isInSubtree(second, root)).toBe(false);
    expect(await isInSubtree(null, second)).toBe(false);
  });

  it('only admin manages it; input is checked', async () => {
    const manager = (await staffSession(server, 'manager')).token;
    const refused = await api('/departments', { token: manager, body: { name: '私设部门' } });
    expect(refused.status).toBe(403);
    expect((await call(server.url, '/api/v1/departments')).status).toBe(401);
    expect((await api('/departments', { body: { name: '' } })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await api('/departments', { body: { name: 'x', parentId: { $ne: null } } })).status).toBe(400);
    const orphan = await api('/departments', { body: { name: 'x', parentId: '0123456789abcdef01234567' } });
    expect(orphan.status).toBe(400);
    expect(orphan.body.error.code).toBe('DEPARTMENT_NOT_FOUND');
    expect((await api('/departments/0123456789abcdef01234567', { method: 'PUT', body: { name: 'y' } })).status).toBe(404);
  });

  it('renames; refuses a sibling of the same name', async () => {
    const root = await create(unique('华南'));
    const a = await create('广州', root);
    await create('深圳', root);
    const renamed = await api(`/departments/${a}`, { method: 'PUT', body: { name: '广州一部' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: a, name: '广州一部', parentId: root });
    const clash = await api(`/departments/${a}`, { method: 'PUT', body: { name: '深圳' } });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toEqual({ code: 'DEPARTMENT_NAME_TAKEN', message: '同一上级部门下已有名为“深圳”的部门' });
    expect((await api('/departments', { body: { name: '深圳', parentId: root } })).status).toBe(409);
  });

  it('moves under another parent or to the top, never under itself or its own descendant', async () => {
    const root = await create(unique('华北'));
    const child = await create('北京', root);
    const grandchild = await create('朝阳', child);
    const other = await create(unique('西北'));

    for (const parentId of [grandchild, child]) {
      const cycle = await api(`/departments/${child}`, { method: 'PUT', body: { parentId } });
      expect(cycle.status).toBe(409);
      expect(cycle.body.error).toEqual({ code: 'DEPARTMENT_CYCLE', message: '不能把部门移动到它自己或它的下级部门之下' });
    }
    expect((await api(`/departments/${root}`, { method: 'PUT', body: { parentId: grandchild } })).status).toBe(409);

    expect((await api(`/departments/${child}`, { method: 'PUT', body: { parentId: other } })).status).toBe(200);
    expect(await subtreeIds(other)).toEqual(expect.arrayContaining([other, child, grandchild]));
    expect(await subtreeIds(root)).toEqual([root]);
    const top = await api(`/departments/${grandchild}`, { method: 'PUT', body: { parentId: null } });
    expect(top.body.parentId).toBeNull();
    expect(find((await api('/departments')).body.items, grandchild)!.parentId).toBeNull();
  });

  it('deletes an empty department; refuses while it has sub-departments, staff or customers', async () => {
    const root = await create(unique('西南'));
    const child = await create('成都', root);
    const withChild = await api(`/departments/${root}`, { method: 'DELETE' });
    expect(withChild.status).toBe(409);
    expect(withChild.body.error.code).toBe('DEPARTMENT_NOT_EMPTY');
    expect(withChild.body.error.message).toContain('1 个下级部门');

    const staff = await createStaffMember('dispatcher', { department: child });
    const withStaff = await api(`/departments/${child}`, { method: 'DELETE' });
    expect(withStaff.status).toBe(409);
    expect(withStaff.body.error.message).toContain('1 名职员');
    await mongoose.connection.collection('staff').updateOne({ _id: new mongoose.Types.ObjectId(staff.id) }, { $set: { department: null } });

    const customer = await createCustomer({ department: child });
    const withCustomer = await api(`/departments/${child}`, { method: 'DELETE' });
    expect(withCustomer.status).toBe(409);
    expect(withCustomer.body.error.message).toContain('1 个客户');
    await mongoose.connection.collection('customers').deleteOne({ _id: customer._id });

    expect((await api(`/departments/${child}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/departments/${root}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/departments/${root}`, { method: 'DELETE' })).status).toBe(404);
    expect(await DepartmentModel.exists({ _id: root })).toBeNull();
  });
});

describe('migration of free-text departments', () => {
  it('turns each name into one top-level department and repoints every record; runs again harmlessly', async () => {
    const name = unique('老服务部');
    const spaced = unique('维修组');
    const db = mongoose.connection;
    const ids = { staff: new mongoose.Types.ObjectId(), customer: new mongoose.Types.ObjectId(), feedback: new mongoose.Types.ObjectId(), followUp: new mongoose.Types.ObjectId() };
    const kept = await create(unique('新部门'));
    await db.collection('staff').insertMany([
      { _id: ids.staff, username: unique('old'), name: '老调度', passwordHash: 'x', role: 'dispatcher', department: name },
      { _id: new mongoose.Types.ObjectId(), username: unique('none'), name: '无部门', passwordHash: 'x', role: 'sales', department: null },
    ]);
    await db.collection('customers').insertMany([
      { _id: ids.customer, code: unique('OLD'), name: '老客户', region: '杭州', department: name },
      { _id: new mongoose.Types.ObjectId(), code: unique('OLD'), name: '老客户二', region: '杭州', department: spaced },
      { _id: new mongoose.Types.ObjectId(), code: unique('NEW'), name: '新客户', region: '杭州', department: kept },
    ]);
    await db.collection('feedbacks').insertOne({ _id: ids.feedback, number: unique('FW'), clientRequestId: unique('c'), department: name });
    await db.collection('follow_ups').insertOne({ _id: ids.followUp, feedbackId: String(ids.feedback), department: name, status: 'open' });

    // Two processes starting at once agree on the department.
    const [first, second] = await Promise.all([migrateLegacyDepartments(), migrateLegacyDepartments()]);
    expect([...first.names, ...second.names]).toEqual(expect.arrayContaining([name, spaced]));
    const made = await DepartmentModel.find({ name }).lean();
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ parentId: null });
    const id = String(made[0]!._id);
    expect(id).toBe(String(legacyDepartmentId(name)));

    expect((await db.collection('staff').findOne({ _id: ids.staff }))!.department).toBe(id);
    expect((await db.collection('customers').findOne({ _id: ids.customer }))!.department).toBe(id);
    expect((await db.collection('feedbacks').findOne({ _id: ids.feedback }))!.department).toBe(id);
    expect((await db.collection('follow_ups').findOne({ _id: ids.followUp }))!.department).toBe(id);
    expect((await db.collection('customers').findOne({ name: '新客户' }))!.department).toBe(kept);
    expect((await DepartmentModel.find({ name: spaced }).lean())).toHaveLength(1);

    const again = await migrateLegacyDepartments();
    expect(again.names).toEqual([]);
    expect(await DepartmentModel.countDocuments({ name })).toBe(1);

    // The migrated staff member now sees the migrated customer through the API.
    const tree = await api('/departments');
    expect(find(tree.body.items, id)!.name).toBe(name);
  });

  it('reuses a top-level department of the same name made by hand', async () => {
    const name = unique('客服中心');
    const byHand = await create(name);
    const customer = new mongoose.Types.ObjectId();
    await mongoose.connection.collection('customers').insertOne({ _id: customer, code: unique('OLD'), name: 'x', region: 'y', department: name });
    await migrateLegacyDepartments();
    expect((await mongoose.connection.collection('customers').findOne({ _id: customer }))!.department).toBe(byHand);
    expect(await DepartmentModel.countDocuments({ name })).toBe(1);
  });
});
