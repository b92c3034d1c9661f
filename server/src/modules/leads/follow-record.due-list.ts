// 待跟进: the follow-ups due by the end of today (China time) that the viewer should act on, read
// from `follow_dues` (one row per lead/customer with its owner and department now, kept by
// follow-record.dues.ts) — a count and a page of indexed two-sided ranges on `dueAt`, never the
// records and their targets. Who sees which rows is the lead and customer visibility rule:
//   sales: leads and customers they own (`{ownerId}`), plus those shared with them (by key);
//   managers: their subtree's departments one by one, and the unassigned lead intake (`''`);
//   admin: all; everyone else: none.
import { chinaDate, chinaDayStart, DAY_MS } from '../../lib/china-time.js';
import { flatFilter } from '../../lib/query.js';
import { collaboratingCustomerIds } from '../customers/ownership.service.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { departmentScopeIds } from '../org/scope.js';
import { FollowDue, type FollowDueDoc } from './follow-record-due.model.js';
import { dueKey } from './follow-record.dues.js';
import { FollowRecord, type FollowRecordDoc } from './follow-record.model.js';
import { sharedLeadIds } from './lead-visibility.js';

type Filter = Record<string, unknown>;
type Row = FollowDueDoc & { _id: string };

/** Before every next date: the lower bound that makes `dueAt < end` a two-sided, indexed range. */
const EPOCH = new Date(0);
/** Shared keys per `$in` (one SQL IN list each). */
const IN_CHUNK = 500;

/** The end of the China calendar day of `now` (the next day's start, exclusive): what "due today" means. */
export const endOfChinaDay = (now: Date) => new Date(chinaDayStart(chinaDate(now)).getTime() + DAY_MS);

/** Due by the end of `now`'s day: a two-sided range (a lone `$lt` is a full scan on the embedded database). */
export const dueBy = (now: Date) => ({ dueAt: { $gte: EPOCH, $lt: endOfChinaDay(now) } });
/** Oldest first; the index gives it, ties in insertion order (rowid). */
export const DUE_ORDER = { dueAt: 1 } as const;

/**
 * Where the viewer's rows are: `indexed` conditions are counted and paged in SQL (disjoint);
 * `listed` ones are a short list of keys (what is shared with a salesperson) read whole, leaving
 * out rows an indexed condition already holds (`ownerId` = `owner`).
 */
interface DueSources {
  indexed: Filter[];
  listed: Filter[];
  owner: string | null;
}

async function sourcesOf(viewer: StaffPrincipal): Promise<DueSources> {
  if (viewer.role === 'sales') {
    const [leads, customers] = await Promise.all([sharedLeadIds(viewer.staffId), collaboratingCustomerIds(viewer.staffId)]);
    const keys = [...new Set([...leads.map((id) => dueKey('lead', id)), ...customers.map((id) => dueKey('customer', id))])];
    const listed: Filter[] = [];
    for (let i = 0; i < keys.length; i += IN_CHUNK) listed.push({ _id: { $in: keys.slice(i, i + IN_CHUNK) } });
    return { indexed: [{ ownerId: viewer.staffId }], listed, owner: viewer.staffId };
  }
  if (viewer.role === 'admin') return { indexed: [{}], listed: [], owner: null };
  if (viewer.role !== 'manager') return { indexed: [], listed: [], owner: null };
  // Customers of the subtree; leads of the subtree and the intake without a department.
  const scope = (await departmentScopeIds(viewer)) ?? [];
  const indexed: Filter[] = [...new Set(scope)].map((department) => ({ department }));
  if (!scope.includes('')) indexed.push({ department: '', target: 'lead' });
  return { indexed, listed: [], owner: null };
}

/** A due list's page (oldest next date first) and how many there are. */
export interface DuePage {
  rows: Row[];
  total: number;
}

/**
 * `skip`/`limit` page the merged list (each indexed source reads its first skip + limit rows; limit
 * 0: the count alone); `mine`: only the viewer's own records; `count: false`: the page alone.
 */
export async function readDue(viewer: StaffPrincipal, now: Date, page: { skip: number; limit: number; mine?: boolean; count?: boolean }): Promise<DuePage> {
  const sources = await sourcesOf(viewer);
  const when = dueBy(now);
  const mine = page.mine ? { authorId: viewer.staffId } : {};
  const want = page.skip + page.limit;
  const [counts, parts, listed] = await Promise.all([
    page.count === false ? [] : Promise.all(sources.indexed.map((source) => FollowDue.countDocuments(flatFilter(source, when, mine)))),
    Promise.all(sources.indexed.map((source) => (want > 0 ? FollowDue.find(flatFilter(source, when, mine)).sort(DUE_ORDER).limit(want).lean<Row[]>() : []))),
    Promise.all(sources.listed.map((source) => FollowDue.find(flatFilter(source, when, mine)).lean<Row[]>())),
  ]);
  const extra = listed.flat().filter((row) => sources.owner === null || row.ownerId !== sources.owner);
  // A stable sort of the parts in source order: ties keep one order from page to page.
  const rows = [...parts.flat(), ...extra].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  return { rows: rows.slice(page.skip, want), total: counts.reduce((sum, n) => sum + n, 0) + extra.length };
}

/** The records of due rows, in the rows' order (a record missing, e.g. never written, is left out). */
export async function recordsOfDue(rows: Row[]): Promise<FollowRecordDoc[]> {
  if (rows.length === 0) return [];
  const docs = await FollowRecord.find({ _id: { $in: rows.map((row) => row.recordId) } }).lean<FollowRecordDoc[]>();
  const byId = new Map(docs.map((doc) => [String(doc._id), doc]));
  return rows.flatMap((row) => byId.get(row.recordId) ?? []);
}
