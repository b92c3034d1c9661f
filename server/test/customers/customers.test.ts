// Customers, contacts and product archives through the API on the real database: CRUD, validation,
// search, paging, access, the generated customer code and the unique serial number.
import { describe, expect, it } from 'vitest';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { adminToken, createContactViaApi, createCustomerViaApi, day, mpSession, staffSession, unique, uniquePhone } from '../helpers/factories.js';

let server: TestServer;
let sales: string;
let dispatcher: string;
let engineer: string;
let marketer: string;
let customer: string;

useTestServer(async (started) => {
  server = started;
  sales = (await staffSession(server, 'sales')).token;
  dispatcher = (await staffSession(server, 'dispatcher')).token;
  engineer = (await staffSession(server, 'engineer')).token;
  marketer = (await staffSession(server, 'marketer')).token;
  customer = (await mpSession(server)).token;
});

const api = (path: string, token: string, options: { method?: string; body?: unknown } = {}) => call(server.url, path, { token, ...options });

describe('access', () => {
  it('sales, dispatchers, managers and admin work with customers; engineers, marketers and customers do not', async () => {
    const manager = (await staffSession(server, 'manager')).token;
    for (const token of [sales, dispatcher, manager, await adminToken(server)]) {
      for (const path of ['/api/v1/customers', '/api/v1/contacts', '/api/v1/products']) {
        expect((await api(path, token)).status, path).toBe(200);
      }
    }
    for (const token of [engineer, marketer]) {
      const response = await api('/api/v1/customers', token);
      expect(response.status).toBe(403);
      expect(response.body.error).toEqual({ code: 'FORBIDDEN', message: '没有权限执行此操作' });
      expect((await api('/api/v1/contacts', token, { body: {} })).status).toBe(403);
    }
    const asCustomer = await api('/api/v1/products', customer);
    expect(asCustomer.status).toBe(403);
    expect(asCustomer.body.error.code).toBe('STAFF_ONLY');
    expect((await call(server.url, '/api/v1/customers')).status).toBe(401);
  });
});

describe('customers', () => {
  it('generates KH codes when the code is empty, keeps typed ones (upper-cased) and refuses duplicates', async () => {
    const first = await createCustomerViaApi(server, sales, { name: '上海申华机电有限公司' });
    const second = await createCustomerViaApi(server, sales);
    expect(first.code).toMatch(/^KH\d{6}$/);
    expect(Number(second.code.slice(2))).toBe(Number(first.code.slice(2)) + 1);

    const typed = await createCustomerViaApi(server, sales, { code: 'vip-001' });
    expect(typed.code).toBe('VIP-001');
    const duplicate = await api('/api/v1/customers', sales, { body: { code: 'VIP-001', name: '重复', region: '北京' } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('CUSTOMER_CODE_TAKEN');
    expect(duplicate.body.error.message).toContain('VIP-001');

    // A hand-typed code holding the next number is skipped by the generator.
    const next = `KH${String(Number(second.code.slice(2)) + 1).padStart(6, '0')}`;
    await createCustomerViaApi(server, sales, { code: next });
    const generated = await createCustomerViaApi(server, sales);
    expect(generated.code).toBe(`KH${String(Number(second.code.slice(2)) + 2).padStart(6, '0')}`);
  });

  it('validates input strictly, with Chinese messages per field', async () => {
    const missing = await api('/api/v1/customers', sales, { body: { name: '', region: '上海' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('VALIDATION_FAILED');
    expect(missing.body.error.details.name).toBe('请填写客户名称');
    expect((await api('/api/v1/customers', sales, { body: { name: 'x', region: 'y', code: 'a b' } })).body.error.details.code).toBeTruthy();
    expect((await api('/api/v1/customers', sales, { body: { name: 'x', region: 'y', owner: 'me' } })).status).toBe(400);
    expect((await api('/api/v1/customers', sales, { body: { name: { $ne: '' }, region: 'y' } })).status).toBe(400);
    expect((await api('/api/v1/customers?q[$ne]=x', sales)).status).toBe(400);
    expect((await api('/api/v1/customers?pageSize=1000', sales)).status).toBe(400);
    expect((await api('/api/v1/customers/not-an-id', sales)).status).toBe(400);
    const unknown = await api('/api/v1/customers/0123456789abcdef01234567', sales);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('CUSTOMER_NOT_FOUND');
  });

  it('reads and updates one customer with its counts; an empty code keeps the code', async () => {
    const created = await createCustomerViaApi(server, sales, { industry: '制造业', grade: 'A' });
    await createContactViaApi(server, sales, created.id);
    await createContactViaApi(server, sales, created.id);
    await api('/api/v1/products', sales, {
      body: { serialNumber: unique('SN-'), model: 'KFR-35', productLine: '空调', customerId: created.id, installedAt: day(-10), warrantyEndsAt: day(300) },
    });
    const read = await api(`/api/v1/customers/${created.id}`, dispatcher);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.id, industry: '制造业', grade: 'A', contactCount: 2, productCount: 1, department: '' });
    expect(Date.parse(read.body.createdAt)).toBeGreaterThan(0);

    const admin = await adminToken(server);
    const east = (await api('/api/v1/departments', admin, { body: { name: unique('华东服务部') } })).body;
    const updated = await api(`/api/v1/customers/${created.id}`, admin, {
      method: 'PUT',
      body: { name: '改名后的客户', region: '杭州', department: east.id },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ code: created.code, name: '改名后的客户', region: '杭州', department: east.id, departmentName: east.name, industry: '' });
    // Now outside the (department-less) dispatcher's scope: it answers like a missing customer.
    expect((await api(`/api/v1/customers/${created.id}`, dispatcher)).status).toBe(404);

    const other = await createCustomerViaApi(server, sales);
    const clash = await api(`/api/v1/customers/${created.id}`, admin, { method: 'PUT', body: { code: other.code, name: 'x', region: 'y' } });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('CUSTOMER_CODE_TAKEN');
  });

  it('searches literally (regex characters are text) and pages', async () => {
    const region = unique('分页区');
    for (let i = 0; i < 7; i += 1) await createCustomerViaApi(server, sales, { region, name: `分页客户${i}` });
    const page1 = await api(`/api/v1/customers?region=${encodeURIComponent(region)}&pageSize=3`, sales);
    expect(page1.body).toMatchObject({ total: 7, page: 1, pageSize: 3 });
    expect(page1.body.items).toHaveLength(3);
    const page3 = await api(`/api/v1/customers?region=${encodeURIComponent(region)}&pageSize=3&page=3`, sales);
    expect(page3.body.items).toHaveLength(1);
    const ids = new Set([...page1.body.items, ...page3.body.items].map((c: { id: string }) => c.id));
    expect(ids.size).toBe(4);

    await createCustomerViaApi(server, sales, { name: 'abc 公司' });
    await createCustomerViaApi(server, sales, { name: 'a.c (特殊) 公司+' });
    const dot = await api(`/api/v1/customers?q=${encodeURIComponent('a.c')}`, sales);
    expect(dot.body.items.map((c: { name: string }) => c.name)).toEqual(['a.c (特殊) 公司+']);
    const brackets = await api(`/api/v1/customers?q=${encodeURIComponent('(特殊) 公司+')}`, sales);
    expect(brackets.body.total).toBe(1);
    const star = await api(`/api/v1/customers?q=${encodeURIComponent('.*')}`, sales);
    expect(star.body.total).toBe(0);
    const byCode = await api(`/api/v1/customers?q=vip-0`, sales);
    expect(byCode.body.items.map((c: { code: string }) => c.code)).toContain('VIP-001');
  });
});

describe('contacts', () => {
  it('creates with a normalised phone, lists with the customer name, filters and searches', async () => {
    const owner = await createCustomerViaApi(server, sales, { name: '联系人测试客户' });
    const created = await api('/api/v1/contacts', sales, { body: { customerId: owner.id, name: '李四', phone: '+86 138-0013-8000', title: '采购' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '李四', phone: '13800138000', title: '采购', customerName: '联系人测试客户', wechatBound: false });
    await createContactViaApi(server, sales, owner.id, uniquePhone(), '王五');

    const list = await api(`/api/v1/contacts?customerId=${owner.id}`, dispatcher);
    expect(list.body.total).toBe(2);
    expect(list.body.items.every((c: { customerName: string }) => c.customerName === '联系人测试客户')).toBe(true);
    // A phone is found by its start or its last digits, however it is typed.
    for (const typed of ['138 0013 8000', '+86 138-0013', '0013 8000', '8000']) {
      const byPhone = await api(`/api/v1/contacts?q=${encodeURIComponent(typed)}`, sales);
      expect(byPhone.body.items.map((c: { name: string }) => c.name), typed).toContain('李四');
    }

    const badPhone = await api('/api/v1/contacts', sales, { body: { customerId: owner.id, name: 'x', phone: '12345' } });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.error.details.phone).toBe('请输入正确的 11 位手机号');
    const noCustomer = await api('/api/v1/contacts', sales, { body: { customerId: '0123456789abcdef01234567', name: 'x', phone: uniquePhone() } });
    expect(noCustomer.status).toBe(404);
    expect(noCustomer.body.error.code).toBe('CUSTOMER_NOT_FOUND');
  });

  it('shows WeChat binding, updates, and deleting a contact unbinds its WeChat users', async () => {
    const owner = await createCustomerViaApi(server, sales);
    const contact = await createContactViaApi(server, sales, owner.id);
    const { userId } = await mpSession(server);
    await WeChatUser.updateOne({ _id: userId }, { $set: { contactId: contact.id } });
    const list = await api(`/api/v1/contacts?customerId=${owner.id}`, sales);
    expect(list.body.items[0].wechatBound).toBe(true);

    const renamed = await api(`/api/v1/contacts/${contact.id}`, sales, { method: 'PUT', body: { customerId: owner.id, name: '新名字', phone: contact.phone } });
    expect(renamed.body).toMatchObject({ name: '新名字', wechatBound: true });
    // A new phone number: the WeChat user proved the old one only.
    const rephoned = await api(`/api/v1/contacts/${contact.id}`, sales, { method: 'PUT', body: { customerId: owner.id, name: '新名字', phone: uniquePhone() } });
    expect(rephoned.body.wechatBound).toBe(false);

    await WeChatUser.updateOne({ _id: userId }, { $set: { contactId: contact.id } });
    expect((await api(`/api/v1/contacts/${contact.id}`, sales, { method: 'DELETE' })).status).toBe(204);
    expect((await WeChatUser.findById(userId).lean())?.contactId).toBeNull();
    expect((await api(`/api/v1/contacts/${contact.id}`, sales, { method: 'DELETE' })).status).toBe(404);
    expect((await api(`/api/v1/contacts?customerId=${owner.id}`, sales)).body.total).toBe(0);
  });
});

describe('product archives', () => {
  const product = (customerId: string, extra: Record<string, unknown> = {}) => ({
    serialNumber: unique('SN-'),
    model: 'RSJ-60',
    productLine: '热水器',
    customerId,
    installedAt: day(-400),
    warrantyEndsAt: day(400),
    ...extra,
  });

  it('creates with a unique serial number and a computed warranty state', async () => {
    const owner = await createCustomerViaApi(server, sales, { name: '产品测试客户' });
    const body = product(owner.id, { address: '上海市浦东新区' });
    const created = await api('/api/v1/products', sales, { body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      serialNumber: body.serialNumber,
      customerName: '产品测试客户',
      installedAt: body.installedAt,
      warrantyEndsAt: body.warrantyEndsAt,
      warrantyState: 'in_warranty',
      address: '上海市浦东新区',
    });
    const duplicate = await api('/api/v1/products', sales, { body: product(owner.id, { serialNumber: body.serialNumber }) });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('SERIAL_NUMBER_TAKEN');

    const backwards = await api('/api/v1/products', sales, { body: product(owner.id, { installedAt: day(0), warrantyEndsAt: day(-1) }) });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details.warrantyEndsAt).toBe('保修到期日不能早于安装日期');
    expect((await api('/api/v1/products', sales, { body: product(owner.id, { installedAt: '2024/01/01' }) })).status).toBe(400);
    expect((await api('/api/v1/products', sales, { body: product(owner.id, { serialNumber: 'SN 1' }) })).status).toBe(400);

    const read = await api(`/api/v1/products/${created.body.id}`, dispatcher);
    expect(read.body).toEqual(created.body);
    const other = await api('/api/v1/products', sales, { body: product(owner.id) });
    const clash = await api(`/api/v1/products/${other.body.id}`, sales, { method: 'PUT', body: product(owner.id, { serialNumber: body.serialNumber }) });
    expect(clash.status).toBe(409);
    const moved = await api(`/api/v1/products/${other.body.id}`, sales, { method: 'PUT', body: product(owner.id, { serialNumber: other.body.serialNumber, warrantyEndsAt: day(5) }) });
    expect(moved.body.warrantyState).toBe('expiring');
    expect((await api('/api/v1/products/0123456789abcdef01234567', sales)).body.error.code).toBe('PRODUCT_NOT_FOUND');
  });

  it('filters by warranty state and customer, and searches serials and models', async () => {
    const owner = await createCustomerViaApi(server, sales);
    const expired = await api('/api/v1/products', sales, { body: product(owner.id, { warrantyEndsAt: day(-3), model: 'OLD-1' }) });
    const expiring = await api('/api/v1/products', sales, { body: product(owner.id, { warrantyEndsAt: day(20) }) });
    const fine = await api('/api/v1/products', sales, { body: product(owner.id, { warrantyEndsAt: day(200) }) });
    expect([expired.body.warrantyState, expiring.body.warrantyState, fine.body.warrantyState]).toEqual(['expired', 'expiring', 'in_warranty']);

    for (const [state, expected] of [['expired', expired], ['expiring', expiring], ['in_warranty', fine]] as const) {
      const list = await api(`/api/v1/products?customerId=${owner.id}&warrantyState=${state}`, sales);
      expect(list.body.items.map((p: { id: string }) => p.id), state).toEqual([expected.body.id]);
    }
    expect((await api('/api/v1/products?warrantyState=broken', sales)).status).toBe(400);
    const bySerial = await api(`/api/v1/products?q=${encodeURIComponent(expiring.body.serialNumber)}`, sales);
    expect(bySerial.body.items.map((p: { id: string }) => p.id)).toEqual([expiring.body.id]);
    const byModel = await api(`/api/v1/products?customerId=${owner.id}&q=old-`, sales);
    expect(byModel.body.total).toBe(1);
  });

  it('GET /me/products answers the verified customer their own archives only', async () => {
    const mine = await createCustomerViaApi(server, sales);
    const theirs = await createCustomerViaApi(server, sales);
    const contact = await createContactViaApi(server, sales, mine.id);
    const own = await api('/api/v1/products', sales, { body: product(mine.id) });
    await api('/api/v1/products', sales, { body: product(theirs.id) });

    const person = await mpSession(server);
    const before = await api('/api/v1/me/products', person.token);
    expect(before.status).toBe(403);
    expect(before.body.error).toEqual({ code: 'VERIFICATION_REQUIRED', message: '请先完成身份验证' });

    await WeChatUser.updateOne({ _id: person.userId }, { $set: { contactId: contact.id } });
    const after = await api('/api/v1/me/products', person.token);
    expect(after.status).toBe(200);
    expect(after.body.items.map((p: { id: string }) => p.id)).toEqual([own.body.id]);
    expect((await api('/api/v1/me/products', sales)).status).toBe(403);
  });
});
