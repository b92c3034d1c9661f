// The dispatcher's list of requests: every filter is expressed in the query (portable operators
// only), names are joined with second queries.
import type { FeedbackAdminListQuery, FeedbackAdminPage } from '@qiao/shared';
import { badRequest } from '../../errors.js';
import { contactsByIds, customerNames as customerNamesByIds } from '../customers/lookup.service.js';
import { chinaDayStart, DAY_MS } from '../../lib/china-time.js';
import { afterCursor, cappedCount, cursorAfter, decodeCursor, flatFilter } from '../../lib/query.js';
import { ordersWithMissedNotices } from '../notifications/subscription.service.js';
import { Feedback, type FeedbackDoc } from './feedback.model.js';
import { requestSearchWays, searchRequestsPage } from './feedback.search.js';
import { isOverdue, peopleById, toSummary } from './feedback.view.js';
import { departmentScope } from './permissions.js';
import type { StaffViewer } from './service.context.js';

const invalidCursor = () => badRequest('CURSOR_INVALID', '翻页位置无效，请回到第一页');

const SORTS: Record<FeedbackAdminListQuery['sort'], Record<string, 1 | -1>> = {
  createdAt: { createdAt: 1, _id: 1 },
  '-createdAt': { createdAt: -1, _id: -1 },
  requestedBy: { requestedBy: 1, _id: 1 },
  '-requestedBy': { requestedBy: -1, _id: -1 },
  number: { number: 1, _id: 1 },
  '-number': { number: -1, _id: -1 },
};

export async function adminListFilter(viewer: StaffViewer, query: FeedbackAdminListQuery, now: Date): Promise<Record<string, unknown>> {
  // Flat: every condition a top-level key an index can serve; flatFilter merges or sets aside the rest.
  const conditions: Record<string, unknown>[] = [await departmentScope(viewer)];
  if (query.status) conditions.push({ status: query.status });
  if (query.type) conditions.push({ type: query.type });
  if (query.engineerId) conditions.push({ engineerId: query.engineerId });
  if (query.region) conditions.push({ region: query.region });
  if (query.productLine) conditions.push({ productLine: query.productLine });
  if (query.from || query.to) {
    const range: Record<string, Date> = {};
    if (query.from) range.$gte = chinaDayStart(query.from);
    if (query.to) range.$lt = new Date(chinaDayStart(query.to).getTime() + DAY_MS);
    conditions.push({ createdAt: range });
  }
  // overdueAt is the requested time while open, NEVER_OVERDUE otherwise: both answers are one range.
  if (query.overdue === 'true') conditions.push({ overdueAt: { $lt: now } });
  if (query.overdue === 'false') conditions.push({ overdueAt: { $gte: now } });
  return flatFilter(...conditions);
}

/** Sorts paged by key (a never-null field); `requestedBy` may be null, so those sorts page by number. */
const KEY_PAGED: Partial<Record<FeedbackAdminListQuery['sort'], { field: 'createdAt' | 'number'; direction: 1 | -1 }>> = {
  createdAt: { field: 'createdAt', direction: 1 },
  '-createdAt': { field: 'createdAt', direction: -1 },
  number: { field: 'number', direction: 1 },
  '-number': { field: 'number', direction: -1 },
};

export async function listFeedbacksForDispatcher(viewer: StaffViewer, query: FeedbackAdminListQuery, now = new Date()): Promise<FeedbackAdminPage> {
  const filter = await adminListFilter(viewer, query, now);
  const keyed = KEY_PAGED[query.sort];
  const cursor = query.cursor && keyed ? decodeCursor(query.cursor) : null;
  // A cursor of another sort (a number on a time sort, or any on a requestedBy sort) is not ours.
  if (query.cursor && (!cursor || (typeof cursor.value === 'string') !== (keyed?.field === 'number'))) throw invalidCursor();
  const after = cursor && keyed ? afterCursor(keyed.field, keyed.direction, cursor) : null;
  const skip = (query.page - 1) * query.pageSize;
  let docs: FeedbackDoc[];
  let count: { total: number; totalCapped: boolean };
  if (query.q) {
    // A search looks its matches up within every other condition, one indexed way at a time
    // (feedback.search.ts), and reads from each only what the page shows.
    const search = await requestSearchWays(query.q, filter);
    ({ docs, ...count } = await searchRequestsPage(search, SORTS[query.sort], { after, skip, limit: query.pageSize }));
  } else {
    const pageFilter = after ? flatFilter(filter, after.condition) : filter;
    [docs, count] = await Promise.all([
      Feedback.find(pageFilter)
        .sort(SORTS[query.sort])
        .skip(after ? after.skip : skip)
        .limit(query.pageSize)
        .lean<FeedbackDoc[]>(),
      // Every filter but a search is served by an index: counted exactly.
      cappedCount((options) => Feedback.countDocuments(filter, options), false),
    ]);
  }
  const nextCursor = keyed ? cursorAfter(docs, query.pageSize, (doc) => (keyed.field === 'number' ? doc.number : doc.createdAt), cursor) : null;
  const [customerNames, contacts, engineers, missed] = await Promise.all([
    customerNamesByIds(docs.map((d) => d.customerId)),
    contactsByIds(docs.map((d) => d.contactId)),
    peopleById(docs.map((d) => d.engineerId)),
    ordersWithMissedNotices(docs.filter((d) => d.status !== 'completed').map((d) => d.currentWorkOrderId)),
  ]);
  const items = docs.map((doc) => ({
    ...toSummary(doc),
    customerName: customerNames.get(doc.customerId) ?? '',
    contactName: contacts.get(doc.contactId)?.name ?? '',
    region: doc.region,
    productLine: doc.productLine,
    engineerName: doc.engineerId ? engineers.get(doc.engineerId)?.name ?? null : null,
    requestedBy: doc.requestedBy?.toISOString() ?? null,
    overdue: isOverdue(doc, now),
    noticeMissed: Boolean(doc.currentWorkOrderId && missed.has(doc.currentWorkOrderId)),
  }));
  return { items, ...count, page: query.page, pageSize: query.pageSize, nextCursor };
}
