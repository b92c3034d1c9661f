// The dispatcher's list of requests: every filter is expressed in the query (portable operators
// only), names are joined with second queries.
import type { FeedbackAdminItem, FeedbackAdminListQuery, Paged } from '@qiao/shared';
import { contactsByIds, customerNames as customerNamesByIds } from '../customers/lookup.service.js';
import { chinaDayStart, DAY_MS } from '../../lib/china-time.js';
import { escapeRegex } from '../../lib/query.js';
import { ordersWithMissedNotices } from '../notifications/subscription.service.js';
import { Feedback, type FeedbackDoc } from './feedback.model.js';
import { isOverdue, peopleById, toSummary } from './feedback.view.js';
import { departmentScope } from './permissions.js';
import type { StaffViewer } from './service.context.js';


const SORTS: Record<FeedbackAdminListQuery['sort'], Record<string, 1 | -1>> = {
  createdAt: { createdAt: 1, _id: 1 },
  '-createdAt': { createdAt: -1, _id: -1 },
  requestedBy: { requestedBy: 1, _id: 1 },
  '-requestedBy': { requestedBy: -1, _id: -1 },
  number: { number: 1 },
  '-number': { number: -1 },
};

export async function adminListFilter(viewer: StaffViewer, query: FeedbackAdminListQuery, now: Date): Promise<Record<string, unknown>> {
  const and: Record<string, unknown>[] = [await departmentScope(viewer)];
  if (query.status) and.push({ status: query.status });
  if (query.type) and.push({ type: query.type });
  if (query.engineerId) and.push({ engineerId: query.engineerId });
  if (query.region) and.push({ region: query.region });
  if (query.productLine) and.push({ productLine: query.productLine });
  if (query.from || query.to) {
    const range: Record<string, Date> = {};
    if (query.from) range.$gte = chinaDayStart(query.from);
    if (query.to) range.$lt = new Date(chinaDayStart(query.to).getTime() + DAY_MS);
    and.push({ createdAt: range });
  }
  if (query.overdue === 'true') and.push({ status: { $ne: 'completed' }, requestedBy: { $ne: null, $lt: now } });
  if (query.overdue === 'false') and.push({ $or: [{ status: 'completed' }, { requestedBy: null }, { requestedBy: { $gte: now } }] });
  if (query.q) {
    const pattern = escapeRegex(query.q);
    and.push({ $or: [{ number: { $regex: pattern, $options: 'i' } }, { description: { $regex: pattern, $options: 'i' } }] });
  }
  const conditions = and.filter((condition) => Object.keys(condition).length > 0);
  return conditions.length === 0 ? {} : conditions.length === 1 ? conditions[0]! : { $and: conditions };
}

export async function listFeedbacksForDispatcher(viewer: StaffViewer, query: FeedbackAdminListQuery, now = new Date()): Promise<Paged<FeedbackAdminItem>> {
  const filter = await adminListFilter(viewer, query, now);
  const [docs, total] = await Promise.all([
    Feedback.find(filter)
      .sort(SORTS[query.sort])
      .skip((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .lean<FeedbackDoc[]>(),
    Feedback.countDocuments(filter),
  ]);
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
  return { items, total, page: query.page, pageSize: query.pageSize };
}
