// Read-only figures of service requests and work orders for the reports module (报表): plain
// projections over indexed ranges (createdAt of requests, dispatchedAt of work orders), grouped by
// the caller. Nothing here writes.
import { filterFor } from '../org/scope.js';
import { isObjectIdString } from '../../lib/db.js';
import { flatFilter } from '../../lib/query.js';
import { workOrderStatuses, type WorkOrderStatus } from '@qiao/shared';
import { Feedback } from './feedback.model.js';
import { WorkOrder } from './work-order.model.js';

export interface RequestStats {
  id: string;
  number: string;
  type: string;
  status: string;
  productLine: string;
  department: string;
  engineerId: string | null;
  createdAt: Date;
  /** First acceptance by an engineer (the response), from the timeline. */
  acceptedAt: Date | null;
  completedAt: Date | null;
  requestedBy: Date | null;
  rating: { timeliness: number; attitude: number; quality: number; ratedAt: Date } | null;
}

interface RequestRow {
  _id: unknown;
  number: string;
  type: string;
  status: string;
  productLine?: string;
  department?: string;
  engineerId?: string | null;
  createdAt: Date;
  completedAt?: Date | null;
  requestedBy?: Date | null;
  events?: Array<{ kind: string; at: Date }>;
  rating?: RequestStats['rating'];
}

const FIELDS = { number: 1, type: 1, status: 1, productLine: 1, department: 1, engineerId: 1, createdAt: 1, completedAt: 1, requestedBy: 1, events: 1, rating: 1 } as const;

function toStats(row: RequestRow): RequestStats {
  const accepted = (row.events ?? []).filter((event) => event.kind === 'accepted').map((event) => event.at.getTime());
  return {
    id: String(row._id),
    number: row.number,
    type: row.type,
    status: row.status,
    productLine: row.productLine ?? '',
    department: row.department ?? '',
    engineerId: row.engineerId ?? null,
    createdAt: row.createdAt,
    acceptedAt: accepted.length ? new Date(Math.min(...accepted)) : null,
    completedAt: row.completedAt ?? null,
    requestedBy: row.requestedBy ?? null,
    rating: row.rating ?? null,
  };
}

/** Requests created in [start, end) whose department is in `departments` (null: all). */
export async function requestsCreatedBetween(departments: string[] | null, start: Date, end: Date): Promise<RequestStats[]> {
  const filter = flatFilter(filterFor(departments), { createdAt: { $gte: start, $lt: end } });
  const rows = await Feedback.find(filter, FIELDS).lean<RequestRow[]>();
  return rows.map(toStats);
}

export interface WorkOrderStats {
  id: string;
  feedbackId: string;
  assigneeId: string;
  status: string;
  dispatchedAt: Date;
  acceptedAt: Date | null;
  completedAt: Date | null;
}

const ORDER_FIELDS = { feedbackId: 1, assigneeId: 1, status: 1, dispatchedAt: 1, acceptedAt: 1, completedAt: 1 } as const;
type OrderRow = Omit<WorkOrderStats, 'id'> & { _id: unknown };
const toOrder = (row: OrderRow): WorkOrderStats => ({
  id: String(row._id),
  feedbackId: row.feedbackId,
  assigneeId: row.assigneeId,
  status: row.status,
  dispatchedAt: row.dispatchedAt,
  acceptedAt: row.acceptedAt ?? null,
  completedAt: row.completedAt ?? null,
});

/** Work orders dispatched in [start, end) (index `dispatchedAt`). */
export async function workOrdersDispatchedBetween(start: Date, end: Date): Promise<WorkOrderStats[]> {
  return (await WorkOrder.find({ dispatchedAt: { $gte: start, $lt: end } }, ORDER_FIELDS).lean<OrderRow[]>()).map(toOrder);
}

/** Work orders completed in [start, end) (index `status, completedAt`). */
export async function workOrdersCompletedBetween(start: Date, end: Date): Promise<WorkOrderStats[]> {
  return (await WorkOrder.find({ status: 'completed', completedAt: { $gte: start, $lt: end } }, ORDER_FIELDS).lean<OrderRow[]>()).map(toOrder);
}

export interface EngineerOrderCounts {
  /** Dispatched in the period, and of those rejected. */
  dispatched: number;
  rejected: number;
  /** Completed in the period. */
  completed: number;
  /** Waiting, accepted or in progress now. */
  open: number;
}

const OPEN_ORDER_STATUSES: WorkOrderStatus[] = ['pending', 'accepted', 'in_progress'];

/**
 * One engineer's orders counted, whatever their requests' departments, without reading any:
 * indexes `{assigneeId, status, dispatchedAt}` (every status listed, so the range follows it) and
 * `{assigneeId, status, completedAt}`.
 */
export async function engineerOrderCounts(assigneeId: string, start: Date, end: Date): Promise<EngineerOrderCounts> {
  const dispatchedAt = { $gte: start, $lt: end };
  const [dispatched, rejected, completed, open] = await Promise.all([
    WorkOrder.countDocuments({ assigneeId, status: { $in: [...workOrderStatuses] }, dispatchedAt }),
    WorkOrder.countDocuments({ assigneeId, status: 'rejected', dispatchedAt }),
    WorkOrder.countDocuments({ assigneeId, status: 'completed', completedAt: { $gte: start, $lt: end } }),
    WorkOrder.countDocuments({ assigneeId, status: { $in: OPEN_ORDER_STATUSES } }),
  ]);
  return { dispatched, rejected, completed, open };
}

/**
 * Open orders of an engineer whose request is in `departments`, counted on the requests: a request
 * waiting for, accepted by or being worked on by an engineer holds exactly that engineer's one open
 * order (dispatch, reassignment, rejection and completion change both together). Index
 * `{engineerId, createdAt}`.
 */
export async function openRequestsOf(engineerId: string, departments: string[]): Promise<number> {
  return Feedback.countDocuments(flatFilter(filterFor(departments), { engineerId, status: { $in: ['dispatched', 'accepted', 'in_progress'] } }));
}

export interface RequestRef {
  id: string;
  number: string;
  department: string;
  requestedBy: Date | null;
}

const CHUNK = 500;

/** Number, department and requested time of requests by id, in chunks of `$in` on `_id`. */
export async function requestRefs(ids: Iterable<string>): Promise<Map<string, RequestRef>> {
  const all = [...new Set(ids)].filter((id) => isObjectIdString(id));
  const refs = new Map<string, RequestRef>();
  for (let i = 0; i < all.length; i += CHUNK) {
    const rows = await Feedback.find({ _id: { $in: all.slice(i, i + CHUNK) } }, { number: 1, department: 1, requestedBy: 1 }).lean<
      Array<{ _id: unknown; number: string; department?: string; requestedBy?: Date | null }>
    >();
    for (const row of rows) refs.set(String(row._id), { id: String(row._id), number: row.number, department: row.department ?? '', requestedBy: row.requestedBy ?? null });
  }
  return refs;
}
