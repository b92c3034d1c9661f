// What other modules may ask of the spread (share-path) module.
import { isDuplicateKey } from '../../lib/db.js';
import { increment } from './counters.js';
import { ShareNode, ShareOwner, ShareVisitor, Spreader, SpreadTotals } from './share-node.model.js';
import { InsertBatcher } from './insert-batch.js';
import { derivedShareToken } from './share-token.js';

export type ShareOwnerKind = 'contact' | 'staff' | 'wechat' | 'visitor';
export interface ShareOwnerRef {
  kind: ShareOwnerKind;
  id: string;
}

/** What never changes on a node once it exists: kept in memory after the first read. */
export interface NodeFacts {
  token: string;
  campaignId: string;
  ownerKind: ShareOwnerKind;
  ownerId: string;
  parent: string | null;
  /** Root first. */
  ancestors: string[];
  /** Made by its holder's first landing: that was their first visit. */
  landed: boolean;
}

export const ownerKey = (campaignId: string, owner: ShareOwnerRef) => `owner:${campaignId}:${owner.kind}:${owner.id}`;
const tokenOf = (campaignId: string, owner: ShareOwnerRef) => derivedShareToken(campaignId, owner.kind, owner.id);

// Immutable facts cached per process (bounded: cleared when full; a miss is one `_id` read).
const CACHE_MAX = 200_000;
const tokens = new Map<string, string>();
const nodes = new Map<string, NodeFacts>();
type NodeDocument = { _id: string; campaignId: string; ownerKind: ShareOwnerKind; ownerId: string; parent: string | null; ancestors: string[]; depth: number; landed: boolean; createdAt: Date } & typeof EMPTY_COUNTERS;
const nodeInserts = new InsertBatcher<NodeDocument>((docs) => ShareNode.insertMany(docs, { ordered: false, lean: true }));
/** Derived tokens whose node is known to exist (its facts not read yet). */
const existingNodes = new Set<string>();
const counterDocs = new Set<string>();
function remember<K, V>(map: Map<K, V>, key: K, value: V): V {
  if (map.size >= CACHE_MAX) map.clear();
  map.set(key, value);
  return value;
}

const EMPTY_COUNTERS = {
  views: 0, uniqueVisitors: 0, shares: 0, intents: 0, leads: 0, selfViews: 0,
  subtreeViews: 0, subtreeUniqueVisitors: 0, subtreeIntents: 0, subtreeLeads: 0, subtreeNodes: 1,
};

function noteCounterDocument(id: string): void {
  if (counterDocs.size >= CACHE_MAX) counterDocs.clear();
  counterDocs.add(id);
}

/** A staff member or a customer contact has a place on the leaderboard; others do not. */
export function spreaderKindOf(owner: { kind: ShareOwnerKind }): 'staff' | 'customer' | null {
  return owner.kind === 'staff' ? 'staff' : owner.kind === 'contact' ? 'customer' : null;
}
export const spreaderId = (scope: string, owner: ShareOwnerRef) => `${scope}:${spreaderKindOf(owner)}:${owner.id}`;

async function insertIgnoringDuplicate(insert: () => Promise<unknown>): Promise<void> {
  try {
    await insert();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

const ensureCampaignTotals = (campaignId: string): Promise<void> =>
  counterDocs.has(campaignId) ? Promise.resolve() : insertIgnoringDuplicate(() => SpreadTotals.create({ _id: campaignId })).then(() => noteCounterDocument(campaignId));

/** The counter documents a node's increments go to: created before its token is handed out. */
async function ensureCounterDocuments(campaignId: string, owner: ShareOwnerRef): Promise<void> {
  const work: Array<Promise<void>> = [ensureCampaignTotals(campaignId)];
  const kind = spreaderKindOf(owner);
  if (kind) {
    for (const scope of [campaignId, 'all']) {
      const _id = spreaderId(scope, owner);
      if (counterDocs.has(_id)) continue;
      work.push(insertIgnoringDuplicate(() => Spreader.create({ _id, scope, kind, personId: owner.id })).then(() => noteCounterDocument(_id)));
    }
  }
  await Promise.all(work);
}

/** Inserts counter documents, those that exist already left as they are (one unordered insert). */
async function insertAllIgnoringDuplicates(insert: () => Promise<unknown>): Promise<void> {
  try {
    await insert();
  } catch (error) {
    const failures = (error as { writeErrors?: unknown }).writeErrors;
    const list: unknown[] = Array.isArray(failures) ? failures : failures ? [failures] : [];
    const onlyDuplicates = list.length > 0 ? list.every((failure) => isDuplicateKey((failure as { err?: unknown }).err ?? failure)) : isDuplicateKey(error);
    if (!onlyDuplicates) throw error;
  }
}

/** `ensureCounterDocuments` for many people at once: one insert per collection, not two per person. */
async function ensureCounterDocumentsOfMany(campaignId: string, owners: ShareOwnerRef[]): Promise<void> {
  await ensureCampaignTotals(campaignId);
  const docs = new Map<string, { _id: string; scope: string; kind: 'staff' | 'customer'; personId: string }>();
  for (const owner of owners) {
    const kind = spreaderKindOf(owner);
    if (!kind) continue;
    for (const scope of [campaignId, 'all']) {
      const _id = spreaderId(scope, owner);
      if (!counterDocs.has(_id)) docs.set(_id, { _id, scope, kind, personId: owner.id });
    }
  }
  if (docs.size === 0) return;
  await insertAllIgnoringDuplicates(() => Spreader.insertMany([...docs.values()], { ordered: false }));
  for (const _id of docs.keys()) noteCounterDocument(_id);
}

/** A node's fixed facts by token, or null (no such token). */
export async function nodeFacts(token: string): Promise<NodeFacts | null> {
  const cached = nodes.get(token);
  if (cached) return cached;
  const doc = await ShareNode.findById(token, { campaignId: 1, ownerKind: 1, ownerId: 1, parent: 1, ancestors: 1, landed: 1 }).lean();
  if (!doc) return null;
  return remember(nodes, token, {
    token,
    campaignId: doc.campaignId,
    ownerKind: doc.ownerKind as ShareOwnerKind,
    ownerId: doc.ownerId,
    parent: doc.parent ?? null,
    ancestors: [...(doc.ancestors ?? [])],
    landed: Boolean(doc.landed),
  });
}

// Legacy claims. Before tokens were derived (share-token.ts), a person's token was random and
// claimed by a `share_owners` document; those tokens are out in links and QR codes, so a claim
// still decides for its person. No claim is written any more, so the collection is read only for
// campaigns that have claims (asked once per process and campaign): on a fresh install and for
// every campaign tracked since, the tracking path never touches it.
let anyLegacy: Promise<boolean> | null = null;
const legacyCampaigns = new Map<string, Promise<boolean>>();
function hasLegacyClaims(campaignId: string): Promise<boolean> {
  anyLegacy ??= ShareOwner.exists({}).then(Boolean, (error: unknown) => {
    anyLegacy = null;
    throw error;
  });
  let answer = legacyCampaigns.get(campaignId);
  if (!answer) {
    const prefix = `owner:${campaignId}:`;
    answer = anyLegacy.then(async (any) => any && Boolean(await ShareOwner.exists({ _id: { $gte: prefix, $lt: `${prefix}\uffff` } })));
    answer.catch(() => legacyCampaigns.delete(campaignId));
    remember(legacyCampaigns, campaignId, answer);
  }
  return answer;
}

/** The random token `owner` claimed in a campaign before tokens were derived, or null. */
async function legacyShareToken(campaignId: string, owner: ShareOwnerRef): Promise<string | null> {
  const _id = ownerKey(campaignId, owner);
  const cached = tokens.get(_id);
  if (cached) return cached;
  if (!(await hasLegacyClaims(campaignId))) return null;
  const existing = await ShareOwner.findById(_id).lean();
  return existing ? remember(tokens, _id, existing.token) : null;
}

/** The token `owner` holds in a campaign when this process has seen it (no database read), else null. */
export async function cachedShareToken(campaignId: string, owner: ShareOwnerRef): Promise<string | null> {
  const token = await tokenOf(campaignId, owner);
  return nodes.has(token) || existingNodes.has(token) ? token : (tokens.get(ownerKey(campaignId, owner)) ?? null);
}

/** The token `owner` already holds in a campaign, or null. */
export async function existingShareToken(campaignId: string, owner: ShareOwnerRef): Promise<string | null> {
  const token = await tokenOf(campaignId, owner);
  if (nodes.has(token) || existingNodes.has(token)) return token;
  const legacy = await legacyShareToken(campaignId, owner);
  if (legacy) return legacy;
  return (await nodeFacts(token)) ? token : null;
}

/** The tokens the people `owners` hold in a campaign (some may have none: their nodes do not exist). */
export async function shareTokensOfOwners(campaignId: string, owners: ShareOwnerRef[]): Promise<string[]> {
  const derived = await Promise.all(owners.map((owner) => tokenOf(campaignId, owner)));
  if (!(await hasLegacyClaims(campaignId))) return derived;
  const claims = await ShareOwner.find({ _id: { $in: owners.map((owner) => ownerKey(campaignId, owner)) } }, { token: 1 }).lean();
  return [...new Set([...derived, ...claims.map((claim) => claim.token)])];
}

/**
 * The node of `owner` in a campaign, created on first use below `parent` (a node of the same
 * campaign; null: a root). `created` is true for the one caller that created it. The first landing
 * decides: an existing node never moves. The node's `_id` is the owner's derived token, so its
 * insert is the claim: concurrent callers race on one `_id` and exactly one wins.
 */
export async function claimShareNode(
  campaignId: string,
  owner: ShareOwnerRef,
  parent: NodeFacts | null,
  { landing = false }: { landing?: boolean } = {},
): Promise<{ token: string; created: boolean }> {
  const token = await tokenOf(campaignId, owner);
  if (nodes.has(token) || existingNodes.has(token)) return { token, created: false };
  const legacy = await legacyShareToken(campaignId, owner);
  if (legacy) return { token: legacy, created: false };
  const above = parent && parent.campaignId === campaignId && parent.token !== token ? parent : null;
  const ancestors = above ? [...above.ancestors, above.token] : [];
  // The counter documents before the node: whoever sees the node (a racer refused by its insert
  // included) may increment them at once. Both are idempotent inserts.
  await ensureCounterDocuments(campaignId, owner);
  // The document is complete here: inserted `lean` (grouped with concurrent landings' nodes),
  // skipping mongoose's document building (measured: a third of the insert's time).
  const inserted = await nodeInserts.insert({ _id: token, campaignId, ownerKind: owner.kind, ownerId: owner.id, parent: above?.token ?? null, ancestors, depth: ancestors.length, landed: landing, ...EMPTY_COUNTERS, createdAt: new Date() });
  if (!inserted) {
    if (existingNodes.size >= CACHE_MAX) existingNodes.clear();
    existingNodes.add(token);
    return { token, created: false };
  }
  remember(nodes, token, { token, campaignId, ownerKind: owner.kind, ownerId: owner.id, parent: above?.token ?? null, ancestors, landed: landing });
  if (above) {
    increment(ShareNode, above.token, { shares: 1 });
    for (const ancestor of ancestors) increment(ShareNode, ancestor, { subtreeNodes: 1 });
  }
  return { token, created: true };
}

/**
 * The share token of `owner` in a campaign, created on first use with `parent` (null: a root, e.g.
 * a recipient of the campaign or a staff member it was handed out to). Idempotent and safe under
 * concurrency: every caller gets the same token, and a re-run of distribution reuses it.
 */
export async function shareTokenOf(campaignId: string, owner: ShareOwnerRef, parent: string | null = null): Promise<string> {
  const above = parent ? await nodeFacts(parent) : null;
  return (await claimShareNode(campaignId, owner, above)).token;
}

/**
 * `shareTokenOf` (roots) for many people at once, e.g. a slice of a campaign's recipients: their
 * counter documents go in as one insert and their nodes as grouped inserts, so preparing a hundred
 * recipients costs a few writes rather than three per person. Tokens in the order of `owners`.
 */
export async function rootShareTokens(campaignId: string, owners: ShareOwnerRef[]): Promise<string[]> {
  if (owners.length === 0) return [];
  await ensureCounterDocumentsOfMany(campaignId, owners);
  // Concurrent claims: their node inserts are grouped by `nodeInserts`.
  return Promise.all(owners.map(async (owner) => (await claimShareNode(campaignId, owner, null)).token));
}

/** Contacts who opened a campaign's page at least once (segment rule "read / not read"). */
export async function contactsWhoViewed(campaignId: string): Promise<Set<string>> {
  const rows = await ShareVisitor.find({ campaignId, viewerKind: 'contact' }, { viewerId: 1 }).lean();
  return new Set(rows.map((row) => row.viewerId));
}
