// Read-only figures of service requests and work orders for the reports module (报表): plain
// projections over indexed ranges of requests (createdAt), and indexed counts of work orders
// (which carry their request's department). Nothing here writes.
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
  /** The version read (day rollups compare it with later writes). */
  updatedAt: Date | null;
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
  updatedAt?: Date;
}

const FIELDS = { number: 1, type: 1, status: 1, productLine: 1, department: 1, engineerId: 1, createdAt: 1, completedAt: 1, requestedBy: 1, events: 1, rating: 1, updatedAt: 1 } as const;

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
    updatedAt: row.updatedAt ?? null,
  };
}

/** Requests created in [start, end) whose department is in `departments` (null: all). */
export async function requestsCreatedBetween(departments: string[] | null, start: Date, end: Date): Promise<RequestStats[]> {
  const filter = flatFilter(filterFor(departments), { createdAt: { $gte: start, $lt: end } });
  const rows = await Feedback.find(filter, FIELDS).lean<RequestRow[]>();
  return rows.map(toStats);
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
/** Orders that are not the engineer's work (any more) stay off the dispatch calendar (calendar-days.ts). */
export const CALENDAR_STATUSES: WorkOrderStatus[] = workOrderStatuses.filter((status) => status !== 'rejected' && status !== 'cancelled');

/** Orders whose request is in `departments` (null: all) — orders carry their request's department. */
const scope = (departments: string[] | null) => filterFor(departments);
const between = (start: Date, end: Date) => ({ $gte: start, $lt: end });
const zero = (): EngineerOrderCounts => ({ dispatched: 0, rejected: 0, completed: 0, open: 0 });

/**
 * One engineer's orders of the departments (null: all) counted, without reading any: indexes
 * `{department, assigneeId, status, dispatchedAt | completedAt}` (company-wide the same without
 * department; every status listed, so the range follows it). An engineer without any order there
 * costs one count.
 */
export async function engineerOrderCounts(assigneeId: string, departments: string[] | null, start: Date, end: Date): Promise<EngineerOrderCounts> {
  const mine = flatFilter(scope(departments), { assigneeId });
  if ((await WorkOrder.countDocuments(mine)) === 0) return zero();
  const dispatchedAt = between(start, end);
  const [dispatched, rejected, completed, open] = await Promise.all([
    WorkOrder.countDocuments({ ...mine, status: { $in: [...workOrderStatuses] }, dispatchedAt }),
    WorkOrder.countDocuments({ ...mine, status: 'rejected', dispatchedAt }),
    WorkOrder.countDocuments({ ...mine, status: 'completed', completedAt: between(start, end) }),
    WorkOrder.countDocuments({ ...mine, status: { $in: OPEN_ORDER_STATUSES } }),
  ]);
  return { dispatched, rejected, completed, open };
}

/** The same counts for all the departments' orders together (indexes `{department, status, …}`, `{status, …}`). */
export async function orderCountsOf(departments: string[] | null, start: Date, end: Date): Promise<Omit<EngineerOrderCounts, 'rejected'>> {
  const all = scope(departments);
  const [dispatched, completed, open] = await Promise.all([
    WorkOrder.countDocuments({ ...all, status: { $in: [...workOrderStatuses] }, dispatchedAt: between(start, end) }),
    WorkOrder.countDocuments({ ...all, status: 'completed', completedAt: between(start, end) }),
    WorkOrder.countDocuments({ ...all, status: { $in: OPEN_ORDER_STATUSES } }),
  ]);
  return { dispatched, completed, open };
}

/**
 * Assignees other than `known` of the departments' orders dispatched or completed in the period or
 * open now. Reads those orders: only for when the counts say someone who is no engineer now (a
 * changed role, a deleted account) holds some.
 */
export async function otherAssignees(departments: string[] | null, start: Date, end: Date, known: string[]): Promise<string[]> {
  const others = { ...scope(departments), assigneeId: { $nin: known } };
  const reads = [
    WorkOrder.find({ ...others, status: { $in: [...workOrderStatuses] }, dispatchedAt: between(start, end) }, { assigneeId: 1 }),
    WorkOrder.find({ ...others, status: 'completed', completedAt: between(start, end) }, { assigneeId: 1 }),
    WorkOrder.find({ ...others, status: { $in: OPEN_ORDER_STATUSES } }, { assigneeId: 1 }),
  ];
  const rows = (await Promise.all(reads.map((read) => read.lean<Array<{ assigneeId: string }>>()))).flat();
  return [...new Set(rows.map((row) => row.assigneeId))];
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
