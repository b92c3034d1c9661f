// Submitting a service request (verified customers) and the customer's own list ("我的服务").
import { createHash } from 'node:crypto';
import type { FeedbackCreate, FeedbackDetail, FeedbackListQuery, FeedbackSummary, Paged } from '@qiao/shared';
import mongoose from 'mongoose';
import { findContact, findCustomer, findProduct } from '../customers/lookup.service.js';
import { chinaDate } from '../../lib/china-time.js';
import { isDuplicateKey } from '../../lib/db.js';
import { afterCursor, cursorAfter, decodeCursor, flatFilter } from '../../lib/query.js';
import { badRequest } from '../../errors.js';
import { claimUploads } from '../files/upload.service.js';
import { contactIdOfWeChatUser, customerOwnership } from '../identity/lookup.service.js';
import { Feedback, overdueAtOf, type FeedbackDoc } from './feedback.model.js';
import { indexRequestNumber } from './feedback.search.js';
import { buildFeedbackDetail, toSummary } from './feedback.view.js';
import { feedbackFor } from './permissions.js';
import { clientRequestConflict, productNotFound, requestedByInPast, verificationRequired } from './service.errors.js';
import type { Viewer } from './service.context.js';

const MAX_NUMBER_ATTEMPTS = 20;

/** `20261122`: the calendar day in China (UTC+8), which request numbers count by. */
export function chinaDay(now: Date): string {
  return chinaDate(now).replace(/-/g, '');
}

/**
 * The request's `_id`, derived from the client's request id: a resubmit (or two at once) is the
 * same document, and its photos are claimed for the same target.
 */
export function feedbackIdFor(clientRequestId: string): mongoose.Types.ObjectId {
  return new mongoose.Types.ObjectId(createHash('sha256').update(`feedback:${clientRequestId}`).digest('hex').slice(0, 24));
}

/** The contact and customer a WeChat user verified as; 403 VERIFICATION_REQUIRED otherwise. */
async function verifiedCustomer(wechatUserId: string) {
  const contact = await findContact(await contactIdOfWeChatUser(wechatUserId));
  const customer = contact ? await findCustomer(String(contact.customerId)) : null;
  if (!contact || !customer) throw verificationRequired();
  return { contact, customer };
}

/**
 * Photos are claimed for the request's (derived) id. Two identical submits at once race for the
 * same uploads: the loser's claim fails although they are now attached to this very request, and
 * asking again is then a no-op. A real refusal fails twice.
 */
async function claimPhotos(photoIds: string[], wechatUserId: string, feedbackId: string): Promise<void> {
  const claim = () => claimUploads(photoIds, { kind: 'wechatUser', id: wechatUserId }, { kind: 'feedback', id: feedbackId });
  try {
    await claim();
  } catch (error) {
    if ((error as { code?: string }).code !== 'UPLOAD_INVALID') throw error;
    await claim();
  }
}

export interface Submitted {
  /** False when the same clientRequestId was submitted before: nothing new was created. */
  created: boolean;
  detail: FeedbackDetail;
}

export async function submitFeedback(wechatUserId: string, input: FeedbackCreate, now = new Date()): Promise<Submitted> {
  const viewer: Viewer = { kind: 'customer', wechatUserId };
  const { contact, customer } = await verifiedCustomer(wechatUserId);
  const _id = feedbackIdFor(input.clientRequestId);
  const again = async (): Promise<Submitted | null> => {
    const existing = await Feedback.findById(_id).lean<FeedbackDoc>();
    if (!existing) return null;
    if (existing.wechatUserId !== wechatUserId) throw clientRequestConflict();
    return { created: false, detail: await buildFeedbackDetail(await feedbackFor(viewer, String(_id)), viewer, now) };
  };
  const previous = await again();
  if (previous) return previous;

  const product = input.productArchiveId ? await findProduct(input.productArchiveId) : null;
  if (input.productArchiveId && (!product || String(product.customerId) !== String(customer._id))) throw productNotFound();
  const requestedBy = input.requestedBy ? new Date(input.requestedBy) : null;
  if (requestedBy && requestedBy <= now) throw requestedByInPast();

  await claimPhotos(input.photoIds, wechatUserId, String(_id));

  const doc = {
    _id,
    clientRequestId: input.clientRequestId,
    wechatUserId,
    customerId: String(customer._id),
    contactId: String(contact._id),
    productArchiveId: product ? String(product._id) : null,
    type: input.type,
    status: 'submitted' as const,
    description: input.description,
    photoIds: [...new Set(input.photoIds)],
    contactPhone: input.contactPhone,
    address: input.address || product?.address || customer.address || '',
    requestedBy,
    overdueAt: overdueAtOf('submitted', requestedBy),
    region: customer.region ?? '',
    productLine: product?.productLine ?? '',
    department: customer.department ?? '',
    version: 0,
    events: [{ kind: 'submitted' as const, at: now }],
  };

  // Numbers count today's requests; two submitting at once collide on the unique number and the
  // loser counts again. A collision on `_id` is the same request submitted twice at once.
  const prefix = `FW${chinaDay(now)}-`;
  for (let attempt = 0; attempt < MAX_NUMBER_ATTEMPTS; attempt += 1) {
    // A range on the unique `number` index (`.` sorts right after `-`), not a regex scan.
    const today = await Feedback.countDocuments({ number: { $gte: prefix, $lt: `${prefix.slice(0, -1)}.` } });
    const number = `${prefix}${String(today + 1 + attempt).padStart(4, '0')}`;
    try {
      await Feedback.create({ ...doc, number, createdAt: now, updatedAt: now });
      await indexRequestNumber(String(_id), number);
      return { created: true, detail: await buildFeedbackDetail(await feedbackFor(viewer, String(_id)), viewer, now) };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const same = await again();
      if (same) return same;
    }
  }
  throw new Error(`no free request number for ${prefix} after ${MAX_NUMBER_ATTEMPTS} attempts`);
}

/** Newest first, then by `_id`: the order of the customer's list and of the merge below. */
const newestFirst = (a: FeedbackDoc, b: FeedbackDoc) =>
  b.createdAt.getTime() - a.createdAt.getTime() || (String(b._id) < String(a._id) ? -1 : String(b._id) > String(a._id) ? 1 : 0);

/**
 * A customer's service requests, newest first: their contact's, and whatever they submitted
 * themselves; key-paged by `createdAt` like the dispatcher's list. "Theirs" is an `$or`, which no
 * index serves: it is two indexed queries (`{wechatUserId: {$in}}`, `{contactId}`), each read up
 * to the end of the page and merged here, and counted as |A| + |B| − |A ∩ B|.
 */
export async function listCustomerFeedbacks(wechatUserId: string, query: FeedbackListQuery): Promise<Paged<FeedbackSummary> & { nextCursor: string | null }> {
  const own = await customerOwnership(wechatUserId);
  const status = query.status ? { status: query.status } : {};
  const byUser = { wechatUserId: { $in: own.wechatUserIds }, ...status };
  const byContact = own.contactId ? { contactId: own.contactId, ...status } : null;
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  if (query.cursor && !(cursor?.value instanceof Date)) throw badRequest('CURSOR_INVALID', '翻页位置无效，请回到第一页');
  const after = cursor ? afterCursor('createdAt', -1, cursor) : null;
  const skip = after ? after.skip : (query.page - 1) * query.pageSize;
  // Each side's first skip + pageSize rows hold the union's first skip + pageSize.
  const read = (filter: Record<string, unknown>) =>
    Feedback.find(after ? flatFilter(filter, after.condition) : filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(skip + query.pageSize)
      .lean<FeedbackDoc[]>();
  const [mine, contacts, total] = await Promise.all([
    read(byUser),
    byContact ? read(byContact) : Promise.resolve([]),
    Promise.all([
      Feedback.countDocuments(byUser),
      byContact ? Feedback.countDocuments(byContact) : 0,
      byContact ? Feedback.countDocuments({ ...byUser, contactId: own.contactId }) : 0,
    ]).then(([a, b, both]) => a + b - both),
  ]);
  const merged = [...new Map([...mine, ...contacts].map((doc) => [String(doc._id), doc])).values()].sort(newestFirst);
  const docs = merged.slice(skip, skip + query.pageSize);
  const nextCursor = cursorAfter(docs, query.pageSize, (doc) => doc.createdAt, cursor);
  return { items: docs.map(toSummary), total, page: query.page, pageSize: query.pageSize, nextCursor };
}

export async function getFeedbackDetail(viewer: Viewer, id: string, now = new Date()): Promise<FeedbackDetail> {
  return buildFeedbackDetail(await feedbackFor(viewer, id), viewer, now);
}
