// 客户细分: saved rules over contacts, evaluated when previewed or used. Rules about the contact
// (tags), its customer (region, industry, grade, product lines owned), its WeChat user (following,
// follow date, last interaction) and campaign history (received / read / not read). FerretDB runs
// only simple filters well: each source is read once (only the fields needed, through a cursor)
// and the rules are combined in code — one pass over 40,000 contacts, not a query per contact.
import type { Paged, Segment as SegmentView, SegmentInput, SegmentListQuery, SegmentPatch, SegmentPreview, SegmentRules } from '@qiao/shared';
import { conflict, notFound } from '../../errors.js';
import { chinaDayStart, DAY_MS } from '../../lib/china-time.js';
import { isObjectIdString } from '../../lib/db.js';
import { paged, searchFilter, skipOf } from '../../lib/query.js';
import { contactBatches, contactsWithCustomers, customerIdsMatching, customerIdsOwningProductLines } from '../customers/lookup.service.js';
import { staffByIds, weChatStatesOfContacts, type ContactWeChatState } from '../identity/lookup.service.js';
import { contactsWhoReceived, massCountsThisMonth, MASS_MONTHLY_LIMIT, SERVICE_WINDOW_MS } from './audience.js';
import { Campaign } from './campaign.model.js';
import { Segment, type SegmentDoc } from './segment.model.js';
import { contactsWhoViewed } from './spread-views.js';

const segmentNotFound = () => notFound('SEGMENT_NOT_FOUND', '客户细分不存在或已被删除');

export interface SegmentMember {
  contactId: string;
  /** The contact's WeChat user, if one verified as the contact. */
  wechat: ContactWeChatState | null;
}

/** Follows the Official Account with a known openid: a mass or customer-service message can reach them. */
export const isFollowing = (state: ContactWeChatState | null): state is ContactWeChatState & { oaOpenid: string } =>
  Boolean(state?.subscribed && state.oaOpenid);

/** The contacts matching `rules`, in the order the contacts are stored. */
export async function evaluateRules(rules: SegmentRules, now = new Date()): Promise<SegmentMember[]> {
  let customers: Set<string> | null = null;
  if (rules.regions?.length || rules.industries?.length || rules.grades?.length) {
    customers = await customerIdsMatching({ regions: rules.regions, industries: rules.industries, grades: rules.grades });
  }
  if (rules.productLines?.length) {
    const owning = await customerIdsOwningProductLines(rules.productLines);
    customers = customers ? new Set([...customers].filter((id) => owning.has(id))) : owning;
  }
  if (customers && customers.size === 0) return [];

  let history: { set: Set<string>; include: boolean } | null = null;
  if (rules.campaign) {
    const received = await contactsWhoReceived(rules.campaign.campaignId);
    if (rules.campaign.state === 'received') history = { set: received, include: true };
    else {
      const viewed = await contactsWhoViewed(rules.campaign.campaignId);
      const read = new Set([...received].filter((id) => viewed.has(id)));
      history = rules.campaign.state === 'read' ? { set: read, include: true } : { set: new Set([...received].filter((id) => !read.has(id))), include: true };
    }
  }

  const wechat = await weChatStatesOfContacts();
  const followedFrom = rules.followedFrom ? chinaDayStart(rules.followedFrom).getTime() : null;
  const followedTo = rules.followedTo ? chinaDayStart(rules.followedTo).getTime() + DAY_MS : null;
  const interactedSince = rules.interactedWithinDays ? now.getTime() - rules.interactedWithinDays * DAY_MS : null;

  const members: SegmentMember[] = [];
  for await (const batch of contactBatches({ ...(rules.tags?.length ? { tags: rules.tags } : {}) })) {
    for (const contact of batch) {
      if (customers && !customers.has(contact.customerId)) continue;
      if (history && history.set.has(contact.id) !== history.include) continue;
      const state = wechat.get(contact.id) ?? null;
      if (rules.following === 'yes' && !isFollowing(state)) continue;
      if (rules.following === 'no' && isFollowing(state)) continue;
      if (followedFrom !== null || followedTo !== null) {
        const at = state?.subscribedAt?.getTime();
        if (at === undefined) continue;
        if (followedFrom !== null && at < followedFrom) continue;
        if (followedTo !== null && at >= followedTo) continue;
      }
      if (interactedSince !== null && !((state?.lastInteractionAt?.getTime() ?? 0) >= interactedSince)) continue;
      members.push({ contactId: contact.id, wechat: state });
    }
  }
  return members;
}

/** The console's live figures for rules being edited. */
export async function previewSegment(rules: SegmentRules, now = new Date()): Promise<SegmentPreview> {
  const members = await evaluateRules(rules, now);
  const massCounts = await massCountsThisMonth(now);
  let following = 0;
  let massQuotaLeft = 0;
  let inServiceWindow = 0;
  for (const { wechat } of members) {
    if (!isFollowing(wechat)) continue;
    following += 1;
    if ((massCounts.get(wechat.oaOpenid) ?? 0) < MASS_MONTHLY_LIMIT) massQuotaLeft += 1;
    if ((wechat.lastInteractionAt?.getTime() ?? 0) > now.getTime() - SERVICE_WINDOW_MS) inServiceWindow += 1;
  }
  const first = members.slice(0, 10);
  const cards = await contactsWithCustomers(first.map((m) => m.contactId));
  return {
    count: members.length,
    following,
    massQuotaLeft,
    inServiceWindow,
    sample: first.map((m) => ({
      contactId: m.contactId,
      name: cards.get(m.contactId)?.name ?? '',
      customerName: cards.get(m.contactId)?.customerName ?? '',
      region: cards.get(m.contactId)?.region ?? '',
      following: isFollowing(m.wechat),
    })),
  };
}

// ---- CRUD ----

async function toViews(docs: SegmentDoc[]): Promise<SegmentView[]> {
  const staff = await staffByIds(docs.map((doc) => doc.createdBy));
  return docs.map((doc) => ({
    id: String(doc._id),
    name: doc.name,
    description: doc.description ?? '',
    rules: (doc.rules ?? {}) as SegmentRules,
    createdBy: staff.get(doc.createdBy)?.name ?? '',
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  }));
}

export async function findSegment(id: string): Promise<SegmentDoc> {
  const doc = isObjectIdString(id) ? await Segment.findById(id).lean<SegmentDoc>() : null;
  if (!doc || doc.deletedAt) throw segmentNotFound();
  return doc;
}

export async function listSegments(query: SegmentListQuery): Promise<Paged<SegmentView>> {
  const filter = { deletedAt: null, ...searchFilter(query.q, ['name', 'description']) };
  const [docs, total] = await Promise.all([
    Segment.find(filter).sort({ updatedAt: -1, _id: -1 }).skip(skipOf(query)).limit(query.pageSize).lean<SegmentDoc[]>(),
    Segment.countDocuments(filter),
  ]);
  return paged(await toViews(docs), total, query);
}

export async function getSegment(id: string): Promise<SegmentView> {
  return (await toViews([await findSegment(id)]))[0]!;
}

export async function createSegment(staffId: string, input: SegmentInput): Promise<SegmentView> {
  const doc = await Segment.create({ name: input.name, description: input.description, rules: input.rules, createdBy: staffId });
  return getSegment(String(doc._id));
}

export async function updateSegment(id: string, patch: SegmentPatch): Promise<SegmentView> {
  const doc = await findSegment(id);
  const set: Record<string, unknown> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.rules !== undefined) set.rules = patch.rules;
  if (Object.keys(set).length > 0) await Segment.updateOne({ _id: doc._id }, { $set: set });
  return getSegment(id);
}

export async function deleteSegment(id: string): Promise<void> {
  const doc = await findSegment(id);
  const inUse = await Campaign.countDocuments({ segmentId: id, deletedAt: null, status: { $in: ['draft', 'scheduled', 'running', 'paused'] } });
  if (inUse > 0) throw conflict('SEGMENT_IN_USE', '该客户细分正被营销方案使用，不能删除');
  await Segment.updateOne({ _id: doc._id }, { $set: { deletedAt: new Date() } });
}
