import {
  colleagueListSchema,
  pagedSchema,
  workOrderSummarySchema,
  type Colleague,
  type Paged,
  type VisitInput,
  type WorkOrderSummary,
  type workOrderTabs,
} from '@qiao/shared';
import { authedRequest, parseResponse } from './session';

export type WorkOrderTab = (typeof workOrderTabs)[number];

const workOrderPageSchema = pagedSchema(workOrderSummarySchema);

/** `GET /work-orders?tab=`: the engineer's orders (assigned or collaborating). */
export async function listWorkOrders(tab: WorkOrderTab, page: number, pageSize: number): Promise<Paged<WorkOrderSummary>> {
  const data = await authedRequest<unknown>({ path: '/api/v1/work-orders', query: { tab, page, pageSize } });
  return parseResponse(workOrderPageSchema, data);
}

/** Finds one of the engineer's orders by id when only that is known (e.g. an old link). */
export async function findWorkOrder(id: string): Promise<WorkOrderSummary | null> {
  for (const tab of ['pending', 'active', 'done'] as const) {
    for (let page = 1; page <= 10; page += 1) {
      const result = await listWorkOrders(tab, page, 50);
      const found = result.items.find((item) => item.id === id);
      if (found) return found;
      if (page * 50 >= result.total) break;
    }
  }
  return null;
}

function action(id: string, name: string, body: unknown = {}): Promise<unknown> {
  return authedRequest<unknown>({ method: 'POST', path: `/api/v1/work-orders/${encodeURIComponent(id)}/${name}`, body });
}

export const acceptWorkOrder = (id: string) => action(id, 'accept');
export const rejectWorkOrder = (id: string, reason: string) => action(id, 'reject', { reason });
export const transferWorkOrder = (id: string, engineerId: string, reason: string) =>
  action(id, 'transfer', { engineerId, reason });
export const addCollaborators = (id: string, engineerIds: string[]) => action(id, 'collaborators', { engineerIds });
export const recordVisit = (id: string, visit: VisitInput) => action(id, 'visits', visit);
export const completeWorkOrder = (id: string, summary: string) => action(id, 'complete', { summary });

/** `GET /engineers`: active colleagues to transfer to or collaborate with. */
export async function listEngineers(): Promise<Colleague[]> {
  const data = await authedRequest<unknown>({ path: '/api/v1/engineers' });
  return parseResponse(colleagueListSchema, data).items;
}
