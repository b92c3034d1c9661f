// The work-order flow over HTTP: suggestions, dispatch and 改派, accept (and the accept race),
// reject, transfer, collaborators, visits, complete, 撤销派工, 直接完成 — and what each side sees.
import { describe, expect, it } from 'vitest';
import { createSession } from '../../src/modules/identity/session.service.js';
import { Staff } from '../../src/modules/identity/staff.model.js';
import { Feedback } from '../../src/modules/service/feedback.model.js';
import { WorkOrder } from '../../src/modules/service/work-order.model.js';
import { createEngineer, createUpload } from '../helpers/factories.js';
import { call, type TestServer } from '../helpers/server.js';
import { feedbackIn, useServerWithCast, visitInput, type Cast } from './scenario.js';

let server: TestServer;
let cast: Cast;
useServerWithCast((started) => ({ server, cast } = started));

const post = (path: string, token: string, body: unknown = {}) => call(server.url, `/api/v1${path}`, { token, body });
const get = (path: string, token: string) => call(server.url, `/api/v1${path}`, { token });

describe('dispatch', () => {
  it('suggests active engineers: region and product line first, then the fewest open orders', async () => {
    await Staff.updateMany({ role: 'engineer' }, { $set: { active: false } });
    const busy = await createEngineer({ name: '甲', regions: ['杭州'], productLines: ['空调'] });
    const free = await createEngineer({ name: '乙', regions: ['杭州'], productLines: ['空调'] });
    const regionOnly = await createEngineer({ name: '丙', regions: ['杭州'], productLines: ['热水器'] });
    const none = await createEngineer({ name: '丁', regions: ['宁波'], productLines: [] });
    await createEngineer({ name: '停用', active: false });
    const { id } = await feedbackIn(cast, 'submitted');
    const busyOrder = await feedbackIn(cast, 'submitted');
    await post(`/feedbacks/${busyOrder.id}/dispatch`, cast.dispatcher.token, { engineerId: busy.id });

    const response = await get(`/feedbacks/${id}/engineer-suggestions`, cast.dispatcher.token);
    expect(response.status).toBe(200);
    expect(response.body.items.map((s: { name: string }) => s.name)).toEqual(['乙', '甲', '丙', '丁']);
    expect(response.body.items[1]).toMatchObject({ id: busy.id, regionMatch: true, productLineMatch: true, openWorkOrders: 1 });
    expect(response.body.items[2]).toMatchObject({ id: regionOnly.id, regionMatch: true, productLineMatch: false });
    expect(response.body.items[3]).toMatchObject({ id: none.id, regionMatch: false, productLineMatch: false, openWorkOrders: 0 });
    expect(free.id).toBe(response.body.items[0].id);
    await Staff.updateMany({ _id: { $in: [cast.engineer.id, cast.otherEngineer.id, cast.collaborator.id] } }, { $set: { active: true } });
  });

  it('creates a pending order; the customer sees the engineer with their phone', async () => {
    const { id } = await feedbackIn(cast, 'submitted');
    const response = await post(`/feedbacks/${id}/dispatch`, cast.dispatcher.token, { engineerId: cast.engineer.id, note: '带上电机' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'dispatched', engineer: { id: cast.engineer.id, name: '张工' }, workOrder: { status: 'pending' } });
    const order = await WorkOrder.findById(response.body.workOrder.id).lean();
    expect(order).toMatchObject({ assigneeId: cast.engineer.id, status: 'pending', version: 0, dispatchedBy: cast.dispatcher.id });

    const seen = await get(`/feedbacks/${id}`, cast.owner.token);
    const dispatched = seen.body.timeline.find((e: { kind: string }) => e.kind === 'dispatched');
    expect(dispatched.text).toBe(`已派工给 张工（${cast.engineer.doc.phone}）`);
    expect(dispatched.engineer).toEqual({ id: cast.engineer.id, name: '张工', phone: cast.engineer.doc.phone });
    const staffView = await get(`/feedbacks/${id}`, cast.dispatcher.token);
    expect(staffView.body.timeline.find((e: { kind: string }) => e.kind === 'dispatched').text).toContain('带上电机');

    const pending = await get('/work-orders?tab=pending', cast.engineer.token);
    expect(pending.body.items.find((o: { feedbackId: string }) => o.feedbackId === id)).toMatchObject({
      status: 'pending',
      customerName: cast.owner.customer!.name,
      contactPhone: '13800138000',
      collaborating: false,
    });
  });

  it('dispatching again reassigns: the open order is cancelled, the new engineer gets a new one', async () => {
    const { id, orderId } = await feedbackIn(cast, 'accepted');
    const same = await post(`/feedbacks/${id}/dispatch`, cast.dispatcher.token, { engineerId: cast.engineer.id });
    expect(same.status).toBe(400);
    expect(same.body.error.code).toBe('ALREADY_ASSIGNED');
    const response = await post(`/feedbacks/${id}/dispatch`, cast.dispatcher.token, { engineerId: cast.otherEngineer.id });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'dispatched', engineer: { id: cast.otherEngineer.id }, workOrder: { status: 'pending' } });
    expect(response.body.workOrder.id).not.toBe(orderId);
    expect((await WorkOrder.findById(orderId).lean())?.status).toBe('cancelled');
    expect((await get(`/feedbacks/${id}`, cast.engineer.token)).status).toBe(404);
    expect((await post(`/work-orders/${orderId}/complete`, cast.engineer.token)).body.error.code).toBe('ILLEGAL_TRANSITION');
  });

  it('refuses inactive engineers and non-engineers, and dispatching a completed request', async () => {
    const { id } = await feedbackIn(cast, 'submitted');
    const inactive = await createEngineer({ active: false });
    expect((await post(`/feedbacks/${id}/dispatch`, cast.dispatcher.token, { engineerId: inactive.id })).body.error.code).toBe('ENGINEER_NOT_AVAILABLE');
    expect((await post(`/feedbacks/${id}/dispatch`, cast.dispatcher.token, { engineerId: cast.dispatcher.id })).body.error.code).toBe('ENGINEER_NOT_AVAILABLE');
    const done = await feedbackIn(cast, 'completed');
    const refused = await post(`/feedbacks/${done.id}/dispatch`, cast.dispatcher.token, { engineerId: cast.otherEngineer.id });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toEqual({ code: 'ILLEGAL_TRANSITION', message: '当前状态为“已完成”，不能派工' });
  });

  it('撤销派工 cancels the order and puts the request back, with the reason for staff only', async () => {
    const { id, orderId } = await feedbackIn(cast, 'accepted');
    const response = await post(`/feedbacks/${id}/undispatch`, cast.dispatcher.token, { reason: '客户改约时间' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'submitted', engineer: null, workOrder: { id: orderId, status: 'cancelled' } });
    expect(response.body.timeline.at(-1).text).toBe('撤销派工：客户改约时间');
    const customer = await get(`/feedbacks/${id}`, cast.owner.token);
    expect(customer.body.timeline.at(-1).text).toBe('正在为您重新安排工程师');
    expect(JSON.stringify(customer.body)).not.toContain('客户改约时间');
    expect((await post(`/feedbacks/${id}/undispatch`, cast.dispatcher.token, { reason: '再来一次' })).status).toBe(409);
    expect((await post(`/feedbacks/${id}/undispatch`, cast.dispatcher.token, { reason: '' })).status).toBe(400);
  });

  it('直接完成 completes with a note and cancels an open order', async () => {
    const { id, orderId } = await feedbackIn(cast, 'dispatched');
    const response = await post(`/feedbacks/${id}/complete`, cast.dispatcher.token, { note: '已电话指导客户重启' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'completed', workOrder: { status: 'cancelled' }, engineer: null });
    expect(response.body.timeline.at(-1).text).toBe('直接完成：已电话指导客户重启');
    expect((await WorkOrder.findById(orderId).lean())?.status).toBe('cancelled');
    const customer = await get(`/feedbacks/${id}`, cast.owner.token);
    expect(customer.body).toMatchObject({ status: 'completed', canRate: true });
    expect(customer.body.timeline.at(-1).text).toBe('服务已完成');
    const fresh = await feedbackIn(cast, 'submitted');
    expect((await post(`/feedbacks/${fresh.id}/complete`, cast.dispatcher.token, { note: '咨询已答复' })).body.status).toBe('completed');
  });
});

describe('engineer', () => {
  it('accepts; two accepts at once: exactly one wins', async () => {
    for (let round = 0; round < 3; round += 1) {
      const { id, orderId } = await feedbackIn(cast, 'dispatched');
      const tokens = [cast.engineer.token, (await createSession('staff', cast.engineer.id)).token];
      const answers = await Promise.all(tokens.map((token) => post(`/work-orders/${orderId}/accept`, token)));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const loser = answers.find((a) => a.status === 409)!;
      // Both read version 0: the loser's claim of `<orderId>:0` fails (or, if it read after the
      // winner wrote, the machine refuses a second accept).
      expect(['CONCURRENT_UPDATE', 'ILLEGAL_TRANSITION']).toContain(loser.body.error.code);
      const order = await WorkOrder.findById(orderId).lean();
      expect(order).toMatchObject({ status: 'accepted', version: 2 });
      const feedback = await Feedback.findById(id).lean();
      expect(feedback?.status).toBe('accepted');
      expect(feedback?.events.filter((e) => e.kind === 'accepted')).toHaveLength(1);
    }
  });

  it('a collaborator may not accept; accepting twice is an illegal transition', async () => {
    const { orderId } = await feedbackIn(cast, 'dispatched');
    const collaborator = await post(`/work-orders/${orderId}/accept`, cast.collaborator.token);
    expect(collaborator.status).toBe(403);
    expect(collaborator.body.error.code).toBe('WORK_ORDER_ASSIGNEE_ONLY');
    expect((await post(`/work-orders/${orderId}/accept`, cast.engineer.token)).status).toBe(200);
    const again = await post(`/work-orders/${orderId}/accept`, cast.engineer.token);
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({ code: 'ILLEGAL_TRANSITION', message: '当前状态为“已接单”，不能接单' });
  });

  it('rejects with a reason: back to the dispatcher, who sees the reason', async () => {
    const { id, orderId } = await feedbackIn(cast, 'dispatched');
    expect((await post(`/work-orders/${orderId}/reject`, cast.engineer.token, { reason: '' })).status).toBe(400);
    const response = await post(`/work-orders/${orderId}/reject`, cast.engineer.token, { reason: '不在服务区域' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'submitted', workOrder: { status: 'rejected', rejectReason: '不在服务区域' } });
    const dispatcher = await get(`/feedbacks/${id}`, cast.dispatcher.token);
    expect(dispatcher.body.workOrder.rejectReason).toBe('不在服务区域');
    expect(dispatcher.body.timeline.at(-1)).toMatchObject({ kind: 'rejected', text: '张工 拒单：不在服务区域' });
    const customer = await get(`/feedbacks/${id}`, cast.owner.token);
    expect(customer.body.workOrder.rejectReason).toBe('');
    expect(JSON.stringify(customer.body)).not.toContain('不在服务区域');
    expect((await get(`/feedbacks/${id}`, cast.engineer.token)).status).toBe(404);
    // Dispatch again from 待派工.
    expect((await post(`/feedbacks/${id}/dispatch`, cast.dispatcher.token, { engineerId: cast.otherEngineer.id })).body.status).toBe('dispatched');
  });

  it('transfers to a colleague: same order, new assignee, pending again', async () => {
    const { id, orderId } = await feedbackIn(cast, 'in_progress');
    expect((await post(`/work-orders/${orderId}/transfer`, cast.engineer.token, { engineerId: cast.engineer.id })).body.error.code).toBe('TRANSFER_TO_SELF');
    const response = await post(`/work-orders/${orderId}/transfer`, cast.engineer.token, { engineerId: cast.otherEngineer.id, reason: '需要热水器专家' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'dispatched', engineer: { id: cast.otherEngineer.id }, workOrder: { id: orderId, status: 'pending' } });
    expect(response.body.visits).toHaveLength(1);
    expect((await get('/work-orders?tab=pending', cast.otherEngineer.token)).body.items.some((o: { id: string }) => o.id === orderId)).toBe(true);
    expect((await get(`/feedbacks/${id}`, cast.engineer.token)).status).toBe(404);
    expect((await post(`/work-orders/${orderId}/accept`, cast.engineer.token)).status).toBe(404);
    const customer = await get(`/feedbacks/${id}`, cast.owner.token);
    expect(customer.body.timeline.at(-1).text).toBe(`已转派给 李工（${cast.otherEngineer.doc.phone}）`);
    // The new engineer accepts and can go on: visit, complete.
    expect((await post(`/work-orders/${orderId}/accept`, cast.otherEngineer.token)).body.status).toBe('accepted');
    expect((await post(`/work-orders/${orderId}/visits`, cast.otherEngineer.token, visitInput())).body.status).toBe('in_progress');
    expect((await post(`/work-orders/${orderId}/complete`, cast.otherEngineer.token, { summary: '更换加热管' })).body.status).toBe('completed');
  });

  it('adds collaborators, who see the order and may record visits but not complete', async () => {
    const { id, orderId } = await feedbackIn(cast, 'accepted');
    const third = await createEngineer({ name: '赵工' });
    expect((await post(`/work-orders/${orderId}/collaborators`, cast.engineer.token, { engineerIds: [cast.engineer.id] })).body.error.code).toBe(
      'COLLABORATOR_IS_ASSIGNEE',
    );
    const response = await post(`/work-orders/${orderId}/collaborators`, cast.engineer.token, { engineerIds: [third.id, cast.collaborator.id] });
    expect(response.status).toBe(200);
    expect(response.body.collaborators.map((c: { name: string }) => c.name).sort()).toEqual(['王工', '赵工'].sort());
    const active = await get('/work-orders?tab=active', third.token);
    expect(active.body.items.find((o: { id: string }) => o.id === orderId)).toMatchObject({ collaborating: true, status: 'accepted' });
    expect((await get(`/feedbacks/${id}`, third.token)).status).toBe(200);

    const photo = await createUpload({ kind: 'staff', id: third.id });
    const visit = await post(`/work-orders/${orderId}/visits`, third.token, visitInput({ photoIds: [photo], customerNote: '协作检查管路' }));
    expect(visit.status).toBe(200);
    expect(visit.body.visits.at(-1)).toMatchObject({ engineer: { id: third.id, name: '赵工' }, customerNote: '协作检查管路', photos: [{ id: photo }] });
    expect((await post(`/work-orders/${orderId}/complete`, third.token)).body.error.code).toBe('WORK_ORDER_ASSIGNEE_ONLY');
    expect((await post(`/work-orders/${orderId}/complete`, cast.engineer.token)).status).toBe(200);
    const late = await post(`/work-orders/${orderId}/collaborators`, cast.engineer.token, { engineerIds: [cast.otherEngineer.id] });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe('当前状态为“已完成”，不能添加协作人');
  });

  it('records several visits (parts, charges in fen, photos); internal notes stay internal; completes after a visit', async () => {
    const { id, orderId } = await feedbackIn(cast, 'dispatched');
    expect((await post(`/work-orders/${orderId}/visits`, cast.engineer.token, visitInput())).body.error.code).toBe('ILLEGAL_TRANSITION');
    await post(`/work-orders/${orderId}/accept`, cast.engineer.token);
    const early = await post(`/work-orders/${orderId}/complete`, cast.engineer.token, { summary: '' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('VISIT_REQUIRED');
    const future = await post(`/work-orders/${orderId}/visits`, cast.engineer.token, visitInput({ checkInAt: new Date(Date.now() + 3600_000).toISOString() }));
    expect(future.body.error.code).toBe('CHECK_IN_IN_FUTURE');
    expect((await post(`/work-orders/${orderId}/visits`, cast.engineer.token, visitInput({ charges: [{ item: '费用', amountFen: 1.5 }] }))).status).toBe(400);

    await post(`/work-orders/${orderId}/visits`, cast.engineer.token, visitInput({ customerNote: '第一次：检测故障' }));
    const second = await post(`/work-orders/${orderId}/visits`, cast.engineer.token, visitInput({ customerNote: '第二次：更换电机', internalNote: '库存只剩一台' }));
    expect(second.body.visits).toHaveLength(2);
    expect(second.body.visits[1]).toMatchObject({ internalNote: '库存只剩一台', parts: [{ name: '风扇电机', model: 'YDK-35', quantity: 1 }], charges: [{ item: '上门服务费', amountFen: 8000 }] });
    const done = await post(`/work-orders/${orderId}/complete`, cast.engineer.token, { summary: '更换电机，试机正常' });
    expect(done.body).toMatchObject({ status: 'completed', workOrder: { status: 'completed' } });
    expect((await get('/work-orders?tab=done', cast.engineer.token)).body.items.some((o: { id: string }) => o.id === orderId)).toBe(true);

    const customer = await get(`/feedbacks/${id}`, cast.owner.token);
    expect(customer.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['submitted', 'dispatched', 'accepted', 'visit', 'visit', 'completed']);
    expect(customer.body.timeline[3].text).toBe('张工 上门处理：第一次：检测故障');
    expect(customer.body.visits.map((v: { internalNote: string }) => v.internalNote)).toEqual(['', '']);
    expect(JSON.stringify(customer.body)).not.toContain('库存只剩一台');
    expect(customer.body.engineer).toEqual({ id: cast.engineer.id, name: '张工', phone: cast.engineer.doc.phone });
    expect(customer.body.canRate).toBe(true);
  });
});

describe('dispatcher list', () => {
  it('filters by status, type, engineer, region, product line, overdue, dates and text; sorts; sees only the department', async () => {
    const overdue = await feedbackIn(cast, 'dispatched', undefined, { description: '冷凝水漏水严重', requestedBy: new Date(Date.now() + 60_000).toISOString() });
    // The requested time passed (written directly, with its stored copy overdueAt).
    const passed = new Date(Date.now() - 3600_000);
    await Feedback.updateOne({ _id: overdue.id }, { $set: { requestedBy: passed, overdueAt: passed } });
    const consult = await feedbackIn(cast, 'submitted', undefined, { type: 'consultation', description: '如何清洗滤网' });
    const list = (query: string, token = cast.dispatcher.token) => get(`/feedbacks?${query}`, token);

    // Search finds requests by number, customer, contact, phone and serial (search.test.ts); not by description.
    const number = (await Feedback.findById(overdue.id).lean())!.number;
    const byText = await list(`q=${number}`);
    expect(byText.status).toBe(200);
    expect(byText.body.items.map((i: { id: string }) => i.id)).toEqual([overdue.id]);
    expect(byText.body.items[0]).toMatchObject({ overdue: true, engineerName: '张工', customerName: cast.owner.customer!.name, region: '杭州', productLine: '空调' });
    expect((await list('q=冷凝水')).body.total).toBe(0);
    expect((await list('overdue=true')).body.items.map((i: { id: string }) => i.id)).toEqual([overdue.id]);
    expect((await list('overdue=false&pageSize=100')).body.items.some((i: { id: string }) => i.id === overdue.id)).toBe(false);
    expect((await list('type=consultation')).body.items.map((i: { id: string }) => i.id)).toEqual([consult.id]);
    expect((await list(`engineerId=${cast.engineer.id}&status=dispatched&pageSize=100`)).body.items.some((i: { id: string }) => i.id === overdue.id)).toBe(true);
    expect((await list(`engineerId=${cast.otherDispatcher.id}`)).body.total).toBe(0);
    expect((await list('region=宁波')).body.total).toBe(0);
    expect((await list(`productLine=空调&q=${number}`)).body.total).toBe(1);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect((await list(`from=${today}&to=${today}&q=${number}`)).body.total).toBe(1);
    expect((await list('from=2020-01-01&to=2020-01-02')).body.total).toBe(0);
    const oldestFirst = await list('sort=createdAt&pageSize=100');
    const newestFirst = await list('sort=-createdAt&pageSize=100');
    expect(oldestFirst.body.items.map((i: { id: string }) => i.id)).toEqual(newestFirst.body.items.map((i: { id: string }) => i.id).reverse());
    expect((await list('q=.*')).body.total).toBe(0);

    expect((await list(`q=${number}`, cast.otherDispatcher.token)).body.total).toBe(0);
    expect((await list(`q=${number}`, cast.admin.token)).body.total).toBe(1);
    expect((await list(`q=${number}`, cast.manager.token)).body.total).toBe(1);
    expect((await list('status[$ne]=x')).status).toBe(400);
    expect((await list('sort=password')).status).toBe(400);
  });
});
