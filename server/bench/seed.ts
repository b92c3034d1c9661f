// Seeds the database up to a size step, directly through mongoose (insertMany in batches of 500):
// service requests with their work orders and follow-ups, customers (size / 5), contacts
// (size × 2 / 5), product archives (size / 5) — 20k customers and 40k contacts at 100k requests;
// and, in their own step (seedSales), leads (size / 5), opportunities (size / 20) and follow-up
// records (size / 5) of ten salespeople.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { Contact } from '../src/modules/customers/contact.model.js';
import { Customer } from '../src/modules/customers/customer.model.js';
import { ProductArchive } from '../src/modules/customers/product-archive.model.js';
import { createSession } from '../src/modules/identity/session.service.js';
import { Staff } from '../src/modules/identity/staff.model.js';
import { createStaff } from '../src/modules/identity/staff.service.js';
import { WeChatUser } from '../src/modules/identity/wechat-user.model.js';
import { FollowRecord } from '../src/modules/leads/follow-record.model.js';
import { LeadCollaborator, leadCollaboratorId } from '../src/modules/leads/lead-collaborator.model.js';
import { Lead } from '../src/modules/leads/lead.model.js';
import { Opportunity } from '../src/modules/leads/opportunity.model.js';
import { DepartmentModel } from '../src/modules/org/department.model.js';
import { Feedback } from '../src/modules/service/feedback.model.js';
import { FollowUp } from '../src/modules/service/follow-up.model.js';
import { WorkOrder } from '../src/modules/service/work-order.model.js';
import { InboundMessage } from '../src/wechat/oa/message.model.js';

const BATCH = 500;
const REGIONS = ['杭州', '宁波', '温州', '绍兴', '嘉兴'];
const LINES = ['空调', '热水器', '净水器'];
const STATUSES = ['submitted', 'dispatched', 'accepted', 'in_progress', 'completed'] as const;
const SURNAMES = ['张', '王', '李', '赵', '陈', '刘', '杨', '黄'];
const ENGINEERS = 20;

async function insertInBatches<T>(model: { insertMany(docs: T[]): Promise<unknown> }, docs: T[]): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH) await model.insertMany(docs.slice(i, i + BATCH));
}

export interface World {
  departments: string[];
  engineerIds: string[];
  /** Console sessions: admin (everything) and a dispatcher of one department. */
  dispatcherToken: string;
  engineerToken: string;
  customerToken: string;
  customerWeChatUserId: string;
  customerIds: mongoose.Types.ObjectId[];
  contactIds: mongoose.Types.ObjectId[];
  /** Product `k` belongs to customer `k`: a request of that customer is about it. */
  productIds: mongoose.Types.ObjectId[];
  counts: { feedbacks: number; customers: number; contacts: number; products: number };
}

/** Departments, staff, and the sessions the lists are read with. */
export async function createWorld(): Promise<World> {
  const departments = (await DepartmentModel.insertMany(['服务一部', '服务二部', '服务三部', '服务四部'].map((name, order) => ({ name, parentId: null, order })))).map((d) => String(d._id));
  const dispatcher = await createStaff({ username: 'bench-dispatcher', name: '调度员', password: 'bench-pass-123', role: 'dispatcher', department: departments[0] });
  const engineerIds: string[] = [];
  for (let i = 0; i < ENGINEERS; i += 1) {
    const engineer = await createStaff({ username: `bench-eng-${i}`, name: `工程师${i}`, password: 'bench-pass-123', role: 'engineer', department: departments[i % departments.length], phone: `1390000${String(i).padStart(4, '0')}` });
    engineerIds.push(engineer.id);
  }
  const engineerUser = await WeChatUser.create({ _id: randomUUID(), mpOpenid: 'oBenchEngineer', staffId: engineerIds[0] });
  await Staff.updateOne({ _id: engineerIds[0] }, { $set: { wechatUserId: engineerUser._id } });
  const customerUser = await WeChatUser.create({ _id: randomUUID(), mpOpenid: 'oBenchCustomer', oaOpenid: 'oBenchCustomerOa', subscribed: true });
  return {
    departments,
    engineerIds,
    dispatcherToken: (await createSession('staff', dispatcher.id)).token,
    engineerToken: (await createSession('customer', engineerUser._id)).token,
    customerToken: (await createSession('customer', customerUser._id)).token,
    customerWeChatUserId: customerUser._id,
    customerIds: [],
    contactIds: [],
    productIds: [],
    counts: { feedbacks: 0, customers: 0, contacts: 0, products: 0 },
  };
}

const phoneOf = (i: number) => `13${String(100_000_000 + i).slice(-9)}`;

/** Grow the data to `size` service requests (and the customers, contacts, products that go with it). */
export async function seedTo(world: World, size: number): Promise<void> {
  const customers = Math.max(100, Math.floor(size / 5));
  const now = Date.now();
  const newCustomers = Array.from({ length: customers - world.counts.customers }, (_, k) => {
    const i = world.counts.customers + k;
    return { _id: new mongoose.Types.ObjectId(), code: `C${String(i + 1).padStart(6, '0')}`, name: `${REGIONS[i % 5]}客户${i}号有限公司`, region: REGIONS[i % 5], phone: phoneOf(i), address: `${REGIONS[i % 5]}市工业路${i}号`, department: world.departments[i % world.departments.length], createdAt: new Date(now - i * 30_000) };
  });
  await insertInBatches(Customer, newCustomers);
  world.customerIds.push(...newCustomers.map((c) => c._id));
  world.counts.customers = customers;

  const contacts = customers * 2;
  const newContacts = Array.from({ length: contacts - world.counts.contacts }, (_, k) => {
    const i = world.counts.contacts + k;
    return { _id: new mongoose.Types.ObjectId(), customerId: world.customerIds[i % customers], department: world.departments[(i % customers) % world.departments.length], name: `${SURNAMES[i % 8]}联系人${i}`, phone: phoneOf(500_000 + i), title: '设备主管', createdAt: new Date(now - i * 15_000) };
  });
  await insertInBatches(Contact, newContacts);
  world.contactIds.push(...newContacts.map((c) => c._id));
  world.counts.contacts = contacts;

  const products = customers;
  const newProducts = Array.from({ length: products - world.counts.products }, (_, k) => {
    const i = world.counts.products + k;
    return { _id: new mongoose.Types.ObjectId(), serialNumber: `SN${String(i + 1).padStart(8, '0')}`, model: `KF-${i % 50}`, productLine: LINES[i % 3], customerId: world.customerIds[i % customers], department: world.departments[(i % customers) % world.departments.length], installedAt: new Date(now - 400 * 86_400_000), warrantyEndsAt: new Date(now + ((i % 400) - 100) * 86_400_000), createdAt: new Date(now - i * 20_000) };
  });
  await insertInBatches(ProductArchive, newProducts);
  world.productIds.push(...newProducts.map((p) => p._id));
  world.counts.products = products;

  const feedbacks = [];
  const orders = [];
  const followUps = [];
  for (let i = world.counts.feedbacks; i < size; i += 1) {
    const _id = new mongoose.Types.ObjectId();
    const status = STATUSES[i % 5]!;
    const customer = i % customers;
    // By blocks of five so that every engineer (the bench's own, engineerIds[0], too) has orders of every status.
    const engineerId = status === 'submitted' ? null : world.engineerIds[Math.floor(i / 5) % ENGINEERS]!;
    const createdAt = new Date(now - i * 60_000);
    const workOrderId = engineerId ? new mongoose.Types.ObjectId() : null;
    feedbacks.push({
      _id,
      number: `FW${new Date(createdAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '')}-${String(i + 1).padStart(6, '0')}`,
      clientRequestId: randomUUID(),
      wechatUserId: i % 1000 === 0 ? world.customerWeChatUserId : `bench-user-${i % 5000}`,
      customerId: String(world.customerIds[customer]),
      contactId: String(world.contactIds[customer * 2]),
      productArchiveId: String(world.productIds[customer]),
      type: i % 3 === 0 ? 'repair' : 'maintenance',
      status,
      description: `${LINES[i % 3]}第 ${i} 号故障：不制冷，有异响`,
      contactPhone: phoneOf(500_000 + customer * 2),
      region: REGIONS[customer % 5],
      productLine: LINES[i % 3],
      department: world.departments[customer % world.departments.length],
      requestedBy: i % 4 === 0 ? null : new Date(now + ((i % 10) - 5) * 3600_000),
      currentWorkOrderId: workOrderId ? String(workOrderId) : null,
      engineerId,
      completedAt: status === 'completed' ? createdAt : null,
      createdAt,
      updatedAt: createdAt,
    });
    if (workOrderId && engineerId) {
      orders.push({ _id: workOrderId, feedbackId: String(_id), assigneeId: engineerId, status: status === 'dispatched' ? 'pending' : status, dispatchedAt: createdAt, dispatchedBy: 'bench', completedAt: status === 'completed' ? createdAt : null, createdAt });
    }
    if (i % 20 === 4) followUps.push({ _id: new mongoose.Types.ObjectId(), feedbackId: String(_id), department: world.departments[customer % world.departments.length], status: i % 40 === 4 ? 'open' : 'closed', createdAt });
  }
  await insertInBatches(Feedback, feedbacks);
  await insertInBatches(WorkOrder, orders);
  await insertInBatches(FollowUp, followUps);
  world.counts.feedbacks = size;
}

/** Grow the Official Account message log to `count` records (what months of messages leave). */
export async function seedMessages(count: number): Promise<void> {
  const existing = await InboundMessage.estimatedDocumentCount();
  const now = Date.now();
  const docs = Array.from({ length: Math.max(0, count - existing) }, (_, k) => {
    const i = existing + k;
    return { _id: `msg:${8_000_000_000 + i}`, openid: `oSeed${i % 5000}`, msgType: 'text', msgId: String(8_000_000_000 + i), content: '你好', xml: '<xml></xml>', sentAt: new Date(now - i * 1000), receivedAt: new Date(now - i * 1000), status: 'handled', reply: '您好' };
  });
  await insertInBatches(InboundMessage, docs);
}

// ---- the sales side (leads = size / 5, opportunities = size / 20, follow-up records = size / 5) ----

const CORE_CHARS = ['蓝', '鲸', '星', '河', '华', '美', '金', '山', '东', '方', '海', '天', '宏', '远', '新', '锐', '恒', '达', '长', '城'];
const INDUSTRIES = ['科技', '贸易', '机械', '电气', '食品'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '勇', '杰'];
const PROJECTS = ['中央空调', '热水器', '净水器', '冷库', '新风'];
const PROJECT_KINDS = ['改造', '采购', '维保', '安装'];
const SALES_PEOPLE = 10;

export interface SalesWorld {
  /** Two sales departments; salesperson k is in department k % 2. */
  departments: string[];
  salesIds: string[];
  /** Sessions: salesperson 0 (own and shared leads) and the manager of department 0. */
  salesToken: string;
  managerToken: string;
  counts: { leads: number; opportunities: number; followRecords: number };
}

export async function createSalesWorld(): Promise<SalesWorld> {
  const departments = (await DepartmentModel.insertMany(['华东销售部', '华南销售部'].map((name, order) => ({ name, parentId: null, order: 10 + order })))).map((d) => String(d._id));
  const salesIds: string[] = [];
  for (let k = 0; k < SALES_PEOPLE; k += 1) {
    const person = await createStaff({ username: `bench-sales-${k}`, name: `销售${k}`, password: 'bench-pass-123', role: 'sales', department: departments[k % 2] });
    salesIds.push(person.id);
  }
  const manager = await createStaff({ username: 'bench-sales-manager', name: '销售经理', password: 'bench-pass-123', role: 'manager', department: departments[0] });
  return {
    departments,
    salesIds,
    salesToken: (await createSession('staff', salesIds[0]!)).token,
    managerToken: (await createSession('staff', manager.id)).token,
    counts: { leads: 0, opportunities: 0, followRecords: 0 },
  };
}

/** Lead `i`: company, contact and phone the bench searches for (`benchLeadOf` in sales.ts reads the same). */
export function benchLeadOf(i: number): { company: string; core: string; name: string; phone: string } {
  const core = `${CORE_CHARS[i % 20]}${CORE_CHARS[Math.floor(i / 20) % 20]}${CORE_CHARS[Math.floor(i / 400) % 20]}`;
  const place = REGIONS[i % 5]!;
  const industry = INDUSTRIES[Math.floor(i / 8000) % 5]!;
  return { company: `${place}${core}${industry}有限公司`, core, name: `${SURNAMES[i % 8]}${GIVEN[Math.floor(i / 8) % 10]}`, phone: `15${String(100_000_000 + i).slice(-9)}` };
}

/** Grow leads, opportunities and follow-up records with `size` (behind the services: keys are built after). */
export async function seedSales(world: World, sales: SalesWorld, size: number): Promise<void> {
  const now = Date.now();
  const leadCount = Math.floor(size / 5);
  const leads = [];
  const records = [];
  for (let i = sales.counts.leads; i < leadCount; i += 1) {
    const lead = benchLeadOf(i);
    const owner = i % 7 === 0 ? null : sales.salesIds[i % SALES_PEOPLE]!;
    // Pairs share a creation time: ties in the sort key, as an import makes them.
    const createdAt = new Date(now - Math.floor(i / 2) * 90_000);
    const _id = new mongoose.Types.ObjectId();
    const status = owner ? (['assigned', 'following', 'following', 'converted', 'closed'] as const)[i % 5]! : 'new';
    leads.push({
      _id,
      ...lead,
      email: `lead${i}@example.com`,
      region: REGIONS[i % 5],
      source: (['campaign', 'manual', 'official-account', 'import'] as const)[i % 4],
      status,
      ownerId: owner,
      department: owner ? sales.departments[(i % SALES_PEOPLE) % 2] : '',
      assignedAt: owner ? createdAt : null,
      createdAt,
      updatedAt: createdAt,
    });
    records.push({
      _id: new mongoose.Types.ObjectId(),
      target: 'lead',
      leadId: String(_id),
      kind: 'phone',
      note: `第 ${i} 条跟进：介绍了${PROJECTS[i % 5]}方案`,
      nextAt: new Date(now + ((i % 30) - 10) * 86_400_000),
      authorId: owner ?? sales.salesIds[0]!,
      department: owner ? sales.departments[(i % SALES_PEOPLE) % 2] : '',
      latest: true,
      createdAt: new Date(createdAt.getTime() + 3600_000),
    });
  }
  // 50 leads of colleagues shared with salesperson 0 (the second source of their list).
  const shared = leads.filter((lead) => lead.ownerId && lead.ownerId !== sales.salesIds[0]).slice(0, sales.counts.leads === 0 ? 50 : 0);
  const sharedIds = new Set(shared.map((lead) => lead._id));
  await insertInBatches(Lead, leads.map((lead) => ({ ...lead, collaboratorIds: sharedIds.has(lead._id) ? [sales.salesIds[0]!] : [] })));
  await insertInBatches(FollowRecord, records);
  await insertInBatches(LeadCollaborator, shared.map((lead) => ({ _id: leadCollaboratorId(String(lead._id), sales.salesIds[0]!), leadId: String(lead._id), staffId: sales.salesIds[0]!, at: new Date() })));
  sales.counts.leads = leadCount;
  sales.counts.followRecords = leadCount;

  const opportunityCount = Math.floor(size / 20);
  const opportunities = [];
  for (let i = sales.counts.opportunities; i < opportunityCount; i += 1) {
    const createdAt = new Date(now - i * 300_000);
    const owner = sales.salesIds[i % SALES_PEOPLE]!;
    opportunities.push({
      _id: new mongoose.Types.ObjectId(),
      name: `${PROJECTS[i % 5]}${PROJECT_KINDS[Math.floor(i / 5) % 4]}项目${i}`,
      customerId: String(world.customerIds[i % world.customerIds.length]),
      ownerId: owner,
      department: sales.departments[(i % SALES_PEOPLE) % 2],
      stage: (['open', 'open', 'won', 'lost'] as const)[i % 4],
      amount: (i % 100) * 10_000_00,
      source: 'manual',
      createdAt,
      updatedAt: createdAt,
    });
  }
  await insertInBatches(Opportunity, opportunities);
  sales.counts.opportunities = opportunityCount;
}
