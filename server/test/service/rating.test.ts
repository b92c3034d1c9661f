// 满意度 and 回访: rate once when completed; any score ≤ 2 opens exactly one follow-up, which a
// dispatcher of the department closes with a note.
import { describe, expect, it } from 'vitest';
import { FollowUp } from '../../src/modules/service/follow-up.model.js';
import { call, type TestServer } from '../helpers/server.js';
import { feedbackIn, useServerWithCast, type Cast } from './scenario.js';

let server: TestServer;
let cast: Cast;
useServerWithCast((started) => ({ server, cast } = started));

const rate = (id: string, body: unknown, token = cast.owner.token) => call(server.url, `/api/v1/feedbacks/${id}/rating`, { token, body });

describe('rating', () => {
  it('only once the request is completed, and only once', async () => {
    const { id } = await feedbackIn(cast, 'in_progress');
    const early = await rate(id, { timeliness: 5, attitude: 5, quality: 5 });
    expect(early.status).toBe(409);
    expect(early.body.error).toEqual({ code: 'RATING_NOT_ALLOWED', message: '服务完成后才能评价' });
    await call(server.url, `/api/v1/work-orders/${(await call(server.url, `/api/v1/feedbacks/${id}`, { token: cast.engineer.token })).body.workOrder.id}/complete`, {
      token: cast.engineer.token,
      body: {},
    });

    const rated = await rate(id, { timeliness: 5, attitude: 4, quality: 5, comment: '很专业' });
    expect(rated.status).toBe(200);
    expect(rated.body).toMatchObject({ canRate: false, rating: { timeliness: 5, attitude: 4, quality: 5, comment: '很专业' } });
    expect(rated.body.timeline.at(-1)).toMatchObject({ kind: 'rated' });
    const again = await rate(id, { timeliness: 1, attitude: 1, quality: 1 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_RATED');
    expect(await FollowUp.countDocuments({ feedbackId: id })).toBe(0);
  });

  it('validates scores 1–5', async () => {
    const { id } = await feedbackIn(cast, 'completed');
    expect((await rate(id, { timeliness: 0, attitude: 5, quality: 5 })).status).toBe(400);
    expect((await rate(id, { timeliness: 6, attitude: 5, quality: 5 })).status).toBe(400);
    expect((await rate(id, { timeliness: 4.5, attitude: 5, quality: 5 })).status).toBe(400);
  });

  it('a score of 2 or less opens exactly one follow-up, even when rated twice at once', async () => {
    const { id } = await feedbackIn(cast, 'completed');
    const answers = await Promise.all([rate(id, { timeliness: 2, attitude: 5, quality: 5, comment: '来得太晚' }), rate(id, { timeliness: 1, attitude: 1, quality: 1 })]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(await FollowUp.countDocuments({ feedbackId: id })).toBe(1);
    const three = await feedbackIn(cast, 'completed');
    await rate(three.id, { timeliness: 3, attitude: 3, quality: 3 });
    expect(await FollowUp.countDocuments({ feedbackId: three.id })).toBe(0);
  });
});

describe('follow-ups', () => {
  it('lists the open follow-ups of the department and closes one with a note', async () => {
    const { id } = await feedbackIn(cast, 'completed');
    await rate(id, { timeliness: 1, attitude: 4, quality: 4, comment: '等了三天' });
    const list = await call(server.url, '/api/v1/follow-ups?status=open&pageSize=100', { token: cast.dispatcher.token });
    expect(list.status).toBe(200);
    const item = list.body.items.find((f: { feedbackId: string }) => f.feedbackId === id);
    expect(item).toMatchObject({
      id,
      status: 'open',
      customerName: cast.owner.customer!.name,
      contactName: cast.owner.contact!.name,
      contactPhone: '13800138000',
      engineerName: '张工',
      rating: { timeliness: 1, comment: '等了三天' },
      closedAt: null,
      closedBy: null,
    });
    expect(item.feedbackNumber).toMatch(/^FW\d{8}-\d{4}$/);
    expect((await call(server.url, '/api/v1/follow-ups', { token: cast.otherDispatcher.token })).body.items.some((f: { id: string }) => f.id === id)).toBe(false);

    expect((await call(server.url, `/api/v1/follow-ups/${id}/close`, { token: cast.dispatcher.token, body: { note: '' } })).status).toBe(400);
    const closed = await call(server.url, `/api/v1/follow-ups/${id}/close`, { token: cast.dispatcher.token, body: { note: '已致电道歉，客户表示理解' } });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', note: '已致电道歉，客户表示理解', closedBy: '调度小王' });
    expect(closed.body.closedAt).toBeTruthy();
    const again = await call(server.url, `/api/v1/follow-ups/${id}/close`, { token: cast.dispatcher.token, body: { note: '再关一次' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('FOLLOW_UP_CLOSED');
    const open = await call(server.url, '/api/v1/follow-ups?status=open&pageSize=100', { token: cast.dispatcher.token });
    expect(open.body.items.some((f: { id: string }) => f.id === id)).toBe(false);
  });
});
