// What callers see of a request: the detail with its timeline, visits and photos (signed URLs),
// and the list items. Customers never see internal notes or reasons.
import {
  isOpenWorkOrder,
  type FeedbackDetail,
  type FeedbackStatus,
  type FeedbackSummary,
  type FeedbackType,
  type TimelineEntry,
  type TimelineKind,
  type Visit as VisitView,
  type WorkOrderStatus,
} from '@qiao/shared';
import { findContact, findCustomer, findProduct } from '../customers/lookup.service.js';
import { fileUrl } from '../files/signing.js';
import { staffByIds } from '../identity/lookup.service.js';
import { ordersWithMissedNotices } from '../notifications/subscription.service.js';
import type { FeedbackDoc, FeedbackEvent } from './feedback.model.js';
import type { FeedbackContext } from './permissions.js';
import type { Viewer } from './service.context.js';
import { Visit, type VisitDoc } from './visit.model.js';
import type { WorkOrderDoc } from './work-order.model.js';

export interface Person {
  id: string;
  name: string;
  phone: string;
}

/** Staff members by id (engineers, dispatchers): one query for a whole page or detail. */
export async function peopleById(ids: Iterable<string | null | undefined>): Promise<Map<string, Person>> {
  return staffByIds(ids);
}

export const isOverdue = (feedback: Pick<FeedbackDoc, 'status' | 'requestedBy'>, now: Date) =>
  feedback.status !== 'completed' && feedback.requestedBy !== null && feedback.requestedBy !== undefined && feedback.requestedBy < now;

export function toSummary(doc: FeedbackDoc): FeedbackSummary {
  return {
    id: String(doc._id),
    number: doc.number,
    type: doc.type as FeedbackType,
    status: doc.status as FeedbackStatus,
    description: doc.description,
    createdAt: doc.createdAt.toISOString(),
  };
}

/** The order's engineers while it is live or done; nobody once it was rejected or cancelled. */
function crew(order: WorkOrderDoc | null): { assigneeId: string | null; collaboratorIds: string[] } {
  if (!order || !(isOpenWorkOrder(order.status as WorkOrderStatus) || order.status === 'completed')) return { assigneeId: null, collaboratorIds: [] };
  return { assigneeId: order.assigneeId, collaboratorIds: order.collaboratorIds };
}

const withPhone = (person: Person | undefined) => (person ? `${person.name}（${person.phone || '电话未登记'}）` : '工程师');
const nameOf = (person: Person | undefined) => person?.name ?? '工程师';

function timelineText(event: FeedbackEvent, people: Map<string, Person>, visit: VisitDoc | undefined, internal: boolean): string {
  const engineer = event.engineerId ? people.get(event.engineerId) : undefined;
  const note = (text: string) => (internal && event.note ? `${text}：${event.note}` : text);
  switch (event.kind as TimelineKind) {
    case 'submitted':
      return '已提交服务请求';
    case 'dispatched':
      return note(`${event.reassigned ? '已改派给' : '已派工给'} ${withPhone(engineer)}`);
    case 'transferred':
      return note(`已转派给 ${withPhone(engineer)}`);
    case 'accepted':
      return `${nameOf(engineer)} 已接单`;
    case 'rejected':
      return internal ? `${nameOf(engineer)} 拒单：${event.note}` : '正在为您重新安排工程师';
    case 'undispatched':
      return internal ? `撤销派工：${event.note}` : '正在为您重新安排工程师';
    case 'visit': {
      const said = visit?.customerNote ? `：${visit.customerNote}` : '';
      const inside = internal && visit?.internalNote ? `（内部备注：${visit.internalNote}）` : '';
      return `${nameOf(engineer)} 上门处理${said}${inside}`;
    }
    case 'completed':
      if (event.direct) return internal ? `直接完成：${event.note}` : '服务已完成';
      return internal && event.note ? `${nameOf(engineer)} 完工：${event.note}` : '服务已完成';
    case 'rated':
      return '客户已评价';
  }
}

function toVisitView(visit: VisitDoc, people: Map<string, Person>, internal: boolean, now: Date): VisitView {
  return {
    id: String(visit._id),
    engineer: { id: visit.engineerId, name: nameOf(people.get(visit.engineerId)) },
    checkInAt: visit.checkInAt.toISOString(),
    location: visit.location
      ? { latitude: visit.location.latitude ?? 0, longitude: visit.location.longitude ?? 0, address: visit.location.address ?? '' }
      : null,
    internalNote: internal ? visit.internalNote : '',
    customerNote: visit.customerNote,
    photos: visit.photoIds.map((id) => ({ id, url: fileUrl(id, now) })),
    parts: visit.parts.map((p) => ({ name: p.name ?? '', model: p.model ?? '', quantity: p.quantity ?? 0 })),
    charges: visit.charges.map((c) => ({ item: c.item ?? '', amountFen: c.amountFen ?? 0 })),
  };
}

export async function buildFeedbackDetail({ feedback, order }: FeedbackContext, viewer: Viewer, now = new Date()): Promise<FeedbackDetail> {
  const internal = viewer.kind === 'staff';
  const [customer, contact, product, visits, missed] = await Promise.all([
    findCustomer(feedback.customerId),
    findContact(feedback.contactId),
    feedback.productArchiveId ? findProduct(feedback.productArchiveId) : null,
    Visit.find({ feedbackId: String(feedback._id) }).sort({ checkInAt: 1, _id: 1 }).lean<VisitDoc[]>(),
    internal && order && isOpenWorkOrder(order.status as WorkOrderStatus) ? ordersWithMissedNotices([String(order._id)]) : new Set<string>(),
  ]);
  const { assigneeId, collaboratorIds } = crew(order);
  const people = await peopleById([
    assigneeId,
    ...collaboratorIds,
    ...feedback.events.map((e) => e.engineerId),
    ...visits.map((v) => v.engineerId),
  ]);
  const visitsById = new Map(visits.map((v) => [String(v._id), v]));

  const timeline: TimelineEntry[] = feedback.events.map((event) => {
    const visit = event.visitId ? visitsById.get(event.visitId) : undefined;
    const engineer = event.engineerId ? people.get(event.engineerId) ?? null : null;
    return {
      kind: event.kind as TimelineKind,
      at: (visit?.checkInAt ?? event.at).toISOString(),
      text: timelineText(event, people, visit, internal),
      engineer: engineer && event.kind !== 'undispatched' ? engineer : null,
    };
  });

  return {
    ...toSummary(feedback),
    photos: feedback.photoIds.map((id) => ({ id, url: fileUrl(id, now) })),
    contactPhone: feedback.contactPhone,
    address: feedback.address,
    requestedBy: feedback.requestedBy?.toISOString() ?? null,
    overdue: isOverdue(feedback, now),
    customer: { id: feedback.customerId, code: customer?.code ?? '', name: customer?.name ?? '' },
    contact: { id: feedback.contactId, name: contact?.name ?? '', phone: contact?.phone ?? '' },
    product: product
      ? {
          id: String(product._id),
          serialNumber: product.serialNumber,
          model: product.model,
          productLine: product.productLine,
          warrantyEndsAt: product.warrantyEndsAt.toISOString(),
        }
      : null,
    region: feedback.region,
    productLine: feedback.productLine,
    engineer: assigneeId ? people.get(assigneeId) ?? null : null,
    collaborators: collaboratorIds.map((id) => people.get(id)).filter((p): p is Person => Boolean(p)),
    workOrder: order
      ? {
          id: String(order._id),
          status: order.status as WorkOrderStatus,
          rejectReason: internal ? order.rejectReason : '',
          noticeMissed: missed.has(String(order._id)),
        }
      : null,
    timeline,
    visits: visits.map((visit) => toVisitView(visit, people, internal, now)),
    rating: feedback.rating
      ? {
          timeliness: feedback.rating.timeliness,
          attitude: feedback.rating.attitude,
          quality: feedback.rating.quality,
          comment: feedback.rating.comment,
          ratedAt: feedback.rating.ratedAt.toISOString(),
        }
      : null,
    canRate: viewer.kind === 'customer' && feedback.status === 'completed' && !feedback.rating,
  };
}
