// 在办工单: the open work orders of an engineer — assigned to them and not finished (待接单, 已接单,
// 处理中) — on the console's staff list, the colleague list and the dispatch suggestions. Orders
// are made and moved through the HTTP API, as dispatchers and engineers do.
import { describe, expect, it } from 'vitest';
import { createEngineer } from '../helpers/factories.js';
import { call, type TestServer } from '../helpers/server.js';
import { feedbackInput, useServerWithCast, visitInput, type Cast } from '../service/scenario.js';

let server: TestServer;
let cast: Cast;
useServerWithCast((started) => ({ server, cast } = started));

async function post(path: string, token: string, body: unknown = {}) {
  const response = await call(server.url, `/api/v1${path}`, { token, body });
  expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
}

async function get(path: string, token: string) {
  const response = await call(server.url, `/api/v1${path}`, { token });
  expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBe(200);
  return response.body;
}

/** A new request of the cast's customer, submitted in the mini-program: its id. */
async function submitted(): Promise<string> {
  const detail = await post('/feedbacks', cast.owner.token, feedbackInput({ productArchiveId: String(cast.product._id) }));
  return detail.id as string;
}

/** Dispatched to `engineerId` from the console: the new order's id. */
async function dispatched(engineerId: string): Promise<{ feedbackId: string; orderId: string }> {
  const feedbackId = await submitted();
  const detail = await post(`/feedbacks/${feedbackId}/dispatch`, cast.dispatcher.token, { engineerId });
  return { feedbackId, orderId: detail.workOrder.id as string };
}

/** 在办工单 of each engineer as the staff list, the colleague list and the suggestions show it. */
async function counts(engineers: Array<{ id: string; name: string }>) {
  const token = cast.dispatcher.token;
  const staffList = await Promise.all(
    engineers.map(async ({ id, name }) => {
      const page = await get(`/staff?role=engineer&q=${encodeURIComponent(name)}`, token);
      expect(page.items.map((s: { id: string }) => s.id)).toEqual([id]);
      return page.items[0].openWorkOrders as number;
    }),
  );
  const colleagues = (await get('/engineers', token)).items as Array<{ id: string; openWorkOrders: number }>;
  const suggestions = (await get(`/feedbacks/${await submitted()}/engineer-suggestions`, token)).items as Array<{ id: string; openWorkOrders: number }>;
  const pick = (items: Array<{ id: string; openWorkOrders: number }>) => engineers.map(({ id }) => items.find((item) => item.id === id)?.openWorkOrders);
  return { staffList, colleagues: pick(colleagues), suggestions: pick(suggestions) };
}

const everywhere = (...values: number[]) => ({ staffList: values, colleagues: values, suggestions: values });

describe('open work orders (在办工单)', () => {
  it('counts the orders assigned to an engineer until they are finished, the same on every page', async () => {
    const suffix = Date.now().toString(36);
    const engineer = await createEngineer({ name: `在办甲${suffix}` });
    const colleague = await createEngineer({ name: `在办乙${suffix}` });
    const both = [
      { id: engineer.id, name: `在办甲${suffix}` },
      { id: colleague.id, name: `在办乙${suffix}` },
    ];
    expect(await counts(both)).toEqual(everywhere(0, 0));

    const toAccept = await dispatched(engineer.id);
    const toComplete = await dispatched(engineer.id);
    const toReject = await dispatched(engineer.id);
    const toTransfer = await dispatched(engineer.id);
    const shared = await dispatched(engineer.id);
    const toUndispatch = await dispatched(engineer.id);
    expect(await counts(both)).toEqual(everywhere(6, 0));

    const token = engineer.token;
    await post(`/work-orders/${toAccept.orderId}/accept`, token);
    await post(`/work-orders/${toComplete.orderId}/accept`, token);
    await post(`/work-orders/${toComplete.orderId}/visits`, token, visitInput());
    // Accepted and in progress are still open.
    expect(await counts(both)).toEqual(everywhere(6, 0));

    await post(`/work-orders/${toComplete.orderId}/complete`, token, { summary: '已修复' });
    await post(`/work-orders/${toReject.orderId}/reject`, token, { reason: '不在服务区域' });
    await post(`/work-orders/${toTransfer.orderId}/transfer`, token, { engineerId: colleague.id, reason: '同事更近' });
    // A collaborator helps; the order stays on its assignee's plate only.
    await post(`/work-orders/${shared.orderId}/collaborators`, token, { engineerIds: [colleague.id] });
    await post(`/feedbacks/${toUndispatch.feedbackId}/undispatch`, cast.dispatcher.token, { reason: '客户改约' });
    // Left with the engineer: the accepted one and the shared one; the colleague has the transfer.
    expect(await counts(both)).toEqual(everywhere(2, 1));

    // 改派 cancels the engineer's order and gives the colleague a new one.
    await post(`/feedbacks/${shared.feedbackId}/dispatch`, cast.dispatcher.token, { engineerId: colleague.id });
    expect(await counts(both)).toEqual(everywhere(1, 2));
  });
});
