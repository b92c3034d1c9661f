// 线索转化: a lead becomes customer + contact + opportunity in one step, or is attached to an
// existing customer; the campaign and share path survive on the customer; who may convert; and
// crash safety without transactions — a parallel double conversion and a resumed one write
// every record once.
import { beforeAll, describe, expect, it } from 'vitest';
import { Contact } from '../../src/modules/customers/contact.model.js';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { ownershipHistory } from '../../src/modules/customers/customer-visibility.js';
import { collaboratingCustomerIds } from '../../src/modules/customers/ownership.service.js';
import { LeadCollaborator } from '../../src/modules/leads/lead-collaborator.model.js';
import { claimLease, OnceClaim } from '../../src/lib/once.js';
import { conversionIds, conversionKey, type ConversionPlan } from '../../src/modules/leads/convert.service.js';
import { Lead } from '../../src/modules/leads/lead.model.js';
import { Opportunity } from '../../src/modules/leads/opportunity.model.js';
import { adminToken, createContact, createCustomer, createStaffMember, uniquePhone } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { makeLead, newCustomerBody } from './convert-helpers.js';

let server: TestServer;
useTestServer((s) => void (server = s));

type Staff = Awaited<ReturnType<typeof createStaffMember>>;
let sales: Staff;
let otherSales: Staff;
let manager: Staff;
let farManager: Staff;
let marketer: Staff;

beforeAll(async () => {
  sales = await createStaffMember('sales', { name: '钱销售', department: '华东销售部' });
  otherSales = await createStaffMember('sales', { name: '孙销售', department: '华东销售部' });
  manager = await createStaffMember('manager', { department: '华东销售部' });
  farManager = await createStaffMember('manager', { department: '华南销售部' });
  marketer = await createStaffMember('marketer');
});

const convert = (leadId: string, token: string, body: unknown) => call(server.url, `/api/v1/leads/${leadId}/convert`, { token, body });

describe('POST /leads/:id/convert — a new customer', () => {
  it('makes customer, contact and opportunity; the customer keeps the campaign and share path', async () => {
    const leadId = await makeLead({ ownerId: sales.id, campaign: true });
    const phone = uniquePhone();
    const answer = await convert(leadId, sales.token, newCustomerBody(`+86 ${phone.slice(0, 3)}-${phone.slice(3)}`));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const ids = conversionIds(leadId);
    expect(answer.body).toMatchObject({ customerId: ids.customerId, contactId: ids.contactId, opportunityId: ids.opportunityId, attached: false });
    expect(answer.body.lead).toMatchObject({ id: leadId, status: 'converted' });

    const lead = await Lead.findById(leadId).lean();
    const customer = await Customer.findById(ids.customerId).lean();
    expect(customer).toMatchObject({
      name: '杭州蓝鲸科技有限公司',
      region: '杭州',
      industry: '制造业',
      ownerId: sales.id,
      department: '华东销售部',
      source: 'lead',
      leadId,
      campaignId: lead!.campaignId,
      campaignName: '新品空调 限时焕新',
    });
    expect(customer!.code).toMatch(/^KH\d{6,}$/);
    expect(customer!.ownerSince).toBeInstanceOf(Date);
    expect(customer!.sharePath.map((entry) => [entry.token, entry.kind, entry.name])).toEqual([
      ['tok-root-0001', 'staff', '王市场'],
      ['tok-mid-00002', 'contact', '李客户'],
      ['tok-lead-0003', 'visitor', '周先生'],
    ]);
    const contact = await Contact.findById(ids.contactId).lean();
    expect(contact).toMatchObject({ name: '周先生', phone, title: '采购经理', department: '华东销售部' });
    expect(String(contact!.customerId)).toBe(ids.customerId);
    expect(await Opportunity.findById(ids.opportunityId).lean()).toMatchObject({
      name: '中央空调改造',
      customerId: ids.customerId,
      contactId: ids.contactId,
      leadId,
      ownerId: sales.id,
      department: '华东销售部',
      stage: 'open',
      amount: 1_234_567,
      source: 'campaign',
      campaignId: lead!.campaignId,
    });
    expect(lead).toMatchObject({ status: 'converted', customerId: ids.customerId, contactId: ids.contactId, opportunityId: ids.opportunityId });
    expect(lead!.convertedAt).toBeInstanceOf(Date);

    // The new records are searchable like any other.
    const admin = await adminToken(server);
    const found = await call(server.url, `/api/v1/customers?q=${encodeURIComponent('蓝鲸')}`, { token: admin });
    expect(found.body.items.map((c: { id: string }) => c.id)).toContain(ids.customerId);
    const byPhone = await call(server.url, `/api/v1/contacts?q=${phone}`, { token: admin });
    expect(byPhone.body.items.map((c: { id: string }) => c.id)).toEqual([ids.contactId]);

    // The ownership history starts with the conversion.
    expect((await ownershipHistory(ids.customerId)).map((e) => [e.kind, e.toOwnerId, e.byStaffId])).toEqual([['convert', sales.id, sales.id]]);

    const again = await convert(leadId, sales.token, newCustomerBody());
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('LEAD_ALREADY_CONVERTED');
  });

  it('converts without an opportunity when none is asked for', async () => {
    const leadId = await makeLead({ ownerId: sales.id });
    const { opportunity: _unused, ...body } = newCustomerBody();
    const answer = await convert(leadId, sales.token, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.opportunityId).toBeNull();
    expect(await Opportunity.countDocuments({ leadId })).toBe(0);
    expect((await Customer.findById(answer.body.customerId).lean())!.source).toBe('lead');
  });

  it('refuses an unassigned, a closed or a converted lead, and bad input', async () => {
    const unassigned = await convert(await makeLead({ ownerId: null, department: '华东销售部' }), manager.token, newCustomerBody());
    expect(unassigned.status).toBe(400);
    expect(unassigned.body.error.code).toBe('LEAD_NOT_ASSIGNED');
    const closed = await convert(await makeLead({ ownerId: sales.id, status: 'closed' }), sales.token, newCustomerBody());
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('LEAD_CLOSED');
    const converted = await convert(await makeLead({ ownerId: sales.id, status: 'converted' }), sales.token, newCustomerBody());
    expect(converted.body.error.code).toBe('LEAD_ALREADY_CONVERTED');

    const leadId = await makeLead({ ownerId: sales.id });
    const customer = await createCustomer({ department: '华东销售部' });
    const bad = [
      { ...newCustomerBody(), customerId: String(customer._id) }, // both a new and an existing customer
      { contact: { name: '周先生', phone: uniquePhone() } }, // neither
      newCustomerBody('12345'),
      newCustomerBody(uniquePhone(), { opportunity: { name: '小单', amount: 12.5 } }),
      { ...newCustomerBody(), ownerId: sales.id },
    ];
    for (const body of bad) expect((await convert(leadId, sales.token, body)).status).toBe(400);
    expect((await Lead.findById(leadId).lean())!.status).toBe('assigned');
  });
});

describe('POST /leads/:id/convert — attach to an existing customer', () => {
  it('attaches to a customer the caller owns, reusing the contact with the same phone', async () => {
    const customer = await createCustomer({ name: '蓝鲸科技（杭州）有限公司', department: '华东销售部' });
    await Customer.updateOne({ _id: customer._id }, { $set: { ownerId: sales.id } });
    const known = await createContact(customer, { name: '周总' });
    const first = await makeLead({ ownerId: sales.id });
    const answer = await convert(first, sales.token, {
      customerId: String(customer._id),
      contact: { name: '周先生', phone: known.phone },
      opportunity: { name: '二期扩容', amount: 50_000_00 },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ customerId: String(customer._id), contactId: String(known._id), attached: true });
    expect(await Customer.exists({ _id: conversionIds(first).customerId })).toBeNull();
    expect((await Opportunity.findById(answer.body.opportunityId).lean())!.customerId).toBe(String(customer._id));

    // Another person at that customer: a new contact of it.
    const second = await makeLead({ ownerId: sales.id });
    const phone = uniquePhone();
    const other = await convert(second, sales.token, { customerId: String(customer._id), contact: { name: '吴工', phone } });
    expect(other.status).toBe(200);
    expect(other.body.contactId).toBe(conversionIds(second).contactId);
    expect(await Contact.countDocuments({ customerId: customer._id })).toBe(2);
    expect((await Contact.findById(other.body.contactId).lean())).toMatchObject({ phone, department: '华东销售部' });
  });

  it('takes a pool customer for the lead owner; refuses a customer of another salesperson', async () => {
    const pooled = await createCustomer({ department: '华南销售部' });
    await Customer.updateOne({ _id: pooled._id }, { $set: { ownerId: null } });
    const leadId = await makeLead({ ownerId: sales.id });
    const answer = await convert(leadId, sales.token, { customerId: String(pooled._id), contact: { name: '周先生', phone: uniquePhone() } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(await Customer.findById(pooled._id).lean()).toMatchObject({ ownerId: sales.id, department: '华东销售部' });
    expect((await ownershipHistory(String(pooled._id))).map((e) => [e.kind, e.toOwnerId])).toEqual([['claim', sales.id]]);
    expect((await Contact.findById(answer.body.contactId).lean())!.department).toBe('华东销售部');

    const theirs = await createCustomer({ department: '华东销售部' });
    await Customer.updateOne({ _id: theirs._id }, { $set: { ownerId: otherSales.id } });
    const refusedLead = await makeLead({ ownerId: sales.id });
    const refused = await convert(refusedLead, sales.token, { customerId: String(theirs._id), contact: { name: '周先生', phone: uniquePhone() } });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('CUSTOMER_NOT_FOUND');
    expect(await Contact.countDocuments({ customerId: theirs._id })).toBe(0);
    // Nothing was written: a corrected conversion goes through at once.
    const retried = await convert(refusedLead, sales.token, newCustomerBody());
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    // A manager of that department may attach to it (the customer keeps its owner).
    const byManager = await convert(await makeLead({ ownerId: sales.id }), manager.token, { customerId: String(theirs._id), contact: { name: '郑总', phone: uniquePhone() } });
    expect(byManager.status, JSON.stringify(byManager.body)).toBe(200);
    expect((await Customer.findById(theirs._id).lean())!.ownerId).toBe(otherSales.id);
  });
});

describe('who may convert', () => {
  it('a collaborator converts the lead; the customer is the owner\'s and shared with the collaborator', async () => {
    const leadId = await makeLead({ ownerId: sales.id, department: '华东销售部', collaboratorIds: [otherSales.id] });
    await LeadCollaborator.create({ _id: `${leadId}:${otherSales.id}`, leadId, staffId: otherSales.id, at: new Date() });
    const answer = await convert(leadId, otherSales.token, newCustomerBody());
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(await Customer.findById(answer.body.customerId).lean()).toMatchObject({ ownerId: sales.id, collaboratorIds: [otherSales.id] });
    // "Shared with me" reads the per-person rows: the collaborator sees the customer.
    expect(await collaboratingCustomerIds(otherSales.id)).toContain(answer.body.customerId);
  });

  it('the owner, a manager in scope and admin; not another salesperson, a distant manager, a marketer', async () => {
    const leadId = await makeLead({ ownerId: sales.id, department: '华东销售部' });
    for (const token of [otherSales.token, farManager.token]) {
      const refused = await convert(leadId, token, newCustomerBody());
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe('LEAD_NOT_FOUND');
    }
    expect((await convert(leadId, marketer.token, newCustomerBody())).status).toBe(403);
    expect((await convert(leadId, (await createStaffMember('engineer')).token, newCustomerBody())).status).toBe(403);
    expect((await call(server.url, `/api/v1/leads/${leadId}/convert`, { body: newCustomerBody() })).status).toBe(401);
    expect(await Customer.exists({ _id: conversionIds(leadId).customerId })).toBeNull();

    expect((await convert(leadId, manager.token, newCustomerBody())).status).toBe(200);
    const byAdmin = await convert(await makeLead({ ownerId: sales.id }), await adminToken(server), newCustomerBody());
    expect(byAdmin.status).toBe(200);
    // The customer is the lead owner's whoever converts.
    expect((await Customer.findById(byAdmin.body.customerId).lean())!.ownerId).toBe(sales.id);
  });
});

describe('crash safety', () => {
  it('converting one lead in parallel yields one customer, one contact, one opportunity', async () => {
    const leadId = await makeLead({ ownerId: sales.id, campaign: true });
    const phone = uniquePhone();
    const answers = await Promise.all(Array.from({ length: 4 }, () => convert(leadId, sales.token, newCustomerBody(phone))));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(3);
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(['LEAD_CONVERTING', 'LEAD_ALREADY_CONVERTED']).toContain(refused.body.error.code);
    }
    expect(await Customer.countDocuments({ leadId })).toBe(1);
    const { customerId } = conversionIds(leadId);
    expect(await Contact.countDocuments({ customerId: customerId })).toBe(1);
    expect(await Opportunity.countDocuments({ leadId })).toBe(1);
  });

  it('a conversion cut short after the customer insert completes on retry without a second customer', async () => {
    const leadId = await makeLead({ ownerId: sales.id, campaign: true });
    const ids = conversionIds(leadId);
    // What the crashed attempt left: the customer, nothing else; the lead still open.
    await Customer.create({ _id: ids.customerId, code: `KH-CRASH-${leadId.slice(-6)}`, name: '杭州蓝鲸科技有限公司', region: '杭州', ownerId: sales.id, department: '华东销售部', source: 'lead', leadId });
    const answer = await convert(leadId, sales.token, newCustomerBody());
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.customerId).toBe(ids.customerId);
    expect(await Customer.countDocuments({ leadId })).toBe(1);
    expect(await Contact.countDocuments({ customerId: ids.customerId })).toBe(1);
    expect(await Opportunity.countDocuments({ leadId })).toBe(1);
    expect((await Lead.findById(leadId).lean())!.status).toBe('converted');
  });
});

describe('resuming a crashed conversion', () => {
  it('an attempt whose lease ran out is taken over with its own plan; a live one refuses a second', async () => {
    const target = await createCustomer({ name: '宁波港务集团', department: '华东销售部' });
    await Customer.updateOne({ _id: target._id }, { $set: { ownerId: sales.id } });
    const leadId = await makeLead({ ownerId: sales.id });
    const plan: ConversionPlan = {
      mode: 'attach',
      customerId: String(target._id),
      customer: null,
      contact: { name: '周先生', phone: uniquePhone(), title: '' },
      opportunity: null,
      ownerId: sales.id,
      department: '华东销售部',
      byStaffId: sales.id,
      fromPool: false,
    };
    // The crashed attempt: it claimed the conversion (attach to 宁波港务) and died.
    await claimLease(conversionKey(leadId), { leaseMs: 60_000, keepMs: 60_000, data: { plan } });
    const busy = await convert(leadId, sales.token, newCustomerBody());
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('LEAD_CONVERTING');
    const closing = await call(server.url, `/api/v1/leads/${leadId}/close`, { token: sales.token, body: { reason: 'invalid' } });
    expect(closing.body.error.code).toBe('LEAD_CONVERTING');

    // Its lease runs out: the next attempt finishes what it set out to do, not the new request.
    await OnceClaim.updateOne({ _id: conversionKey(leadId) }, { $set: { leaseUntil: new Date(Date.now() - 1000) } });
    const resumed = await convert(leadId, sales.token, newCustomerBody());
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect(resumed.body).toMatchObject({ customerId: String(target._id), attached: true, opportunityId: null });
    expect(await Customer.exists({ _id: conversionIds(leadId).customerId })).toBeNull();
    // The taking-over attempt carries that plan, for whoever would take it over in turn.
    const successor = await OnceClaim.findById(`${conversionKey(leadId)}#1`).lean<{ data: { plan: ConversionPlan }; doneAt: Date | null }>();
    expect(successor!.data.plan).toMatchObject({ mode: 'attach', customerId: String(target._id) });
    expect(successor!.doneAt).toBeInstanceOf(Date);
  });
});
