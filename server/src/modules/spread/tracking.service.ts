// The hot path: a landing on a campaign page (or a scan of a personal poster's QR code). Every
// write is a single-key operation — the viewer's node and the first-visit record are inserts with
// deterministic `_id`s, the counters are `$inc`s by `_id` summed in memory (counters.ts) — and the
// facts that never change (nodes, tokens, campaigns for a few seconds) are cached per process.
import type { TrackView, TrackViewResult } from '@qiao/shared';
import { notFound, TooManyRequests } from '../../errors.js';
import { isDuplicateKey } from '../../lib/db.js';
import { contactIdOfWeChatUser } from '../identity/lookup.service.js';
import type { Principal } from '../identity/principal.js';
import { findWeChatUser } from '../identity/wechat-user.service.js';
import { landableCampaign, type SpreadCampaign } from './campaign-source.js';
import { increment } from './counters.js';
import { cachedShareToken, claimShareNode, existingShareToken, nodeFacts, spreaderId, spreaderKindOf, type NodeFacts, type ShareOwnerRef } from './lookup.service.js';
import { ShareNode, ShareVisitor, Spreader, SpreadTotals } from './share-node.model.js';

export const TRACKING_LIMITS = {
  /** Views of one viewer on one campaign counted per window; more are answered but not counted. */
  viewsPerViewer: 300,
  viewerWindowMs: 10 * 60_000,
  /** New anonymous visitors one client address may bring per minute (429 beyond). */
  newVisitorsPerAddress: 120,
  addressWindowMs: 60_000,
};

/** Who is looking: the session's person when there is one, else the page's anonymous visitor id. */
export async function viewerOf(principal: Principal | null, visitorId: string): Promise<ShareOwnerRef> {
  if (principal?.kind === 'staff') return { kind: 'staff', id: principal.staffId };
  if (principal?.kind === 'customer') {
    const contactId = await contactIdOfWeChatUser(principal.wechatUserId);
    return contactId ? { kind: 'contact', id: contactId } : { kind: 'wechat', id: principal.wechatUserId };
  }
  return { kind: 'visitor', id: visitorId };
}

const viewerKey = (viewer: ShareOwnerRef) => `${viewer.kind}:${viewer.id}`;

// Fixed windows in memory: cheap, per process, forgotten on restart — enough against a reload loop.
class WindowCounter {
  private readonly windows = new Map<string, { start: number; n: number }>();
  constructor(private readonly windowMs: () => number) {}
  /** Counts one for `key`; the count in the current window, this one included. */
  hit(key: string, now = Date.now()): number {
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs()) {
      if (this.windows.size >= 100_000) this.windows.clear();
      window = { start: now, n: 0 };
      this.windows.set(key, window);
    }
    window.n += 1;
    return window.n;
  }
}
const viewerWindows = new WindowCounter(() => TRACKING_LIMITS.viewerWindowMs);
const addressWindows = new WindowCounter(() => TRACKING_LIMITS.addressWindowMs);

const seenVisitors = new Set<string>();
/** Inserts the viewer's first-visit record: true when this is their first view of the campaign. */
async function insertVisit(campaignId: string, viewer: ShareOwnerRef, via: string | null): Promise<boolean> {
  const _id = `${campaignId}:${viewerKey(viewer)}`;
  if (seenVisitors.has(_id)) return false;
  let first = true;
  try {
    await ShareVisitor.insertMany([{ _id, campaignId, viewerKind: viewer.kind, viewerId: viewer.id, via, createdAt: new Date() }], { lean: true });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    first = false;
  }
  if (seenVisitors.size >= 200_000) seenVisitors.clear();
  seenVisitors.add(_id);
  return first;
}

/** Leaderboard increments for the owner of a node, in the campaign and overall. */
function creditSpreader(campaignId: string, node: NodeFacts, inc: Record<string, number>): void {
  const owner = { kind: node.ownerKind, id: node.ownerId };
  if (!spreaderKindOf(owner)) return;
  for (const scope of [campaignId, 'all']) increment(Spreader, spreaderId(scope, owner), inc);
}

async function countView(campaignId: string, ownToken: string, via: NodeFacts | null, self: boolean, first: boolean): Promise<void> {
  const unique = first ? 1 : 0;
  increment(SpreadTotals, campaignId, { views: 1, uniqueVisitors: unique });
  if (self) {
    increment(ShareNode, ownToken, { selfViews: 1 });
    return;
  }
  if (!via) return;
  increment(ShareNode, via.token, { views: 1, uniqueVisitors: unique, subtreeViews: 1, subtreeUniqueVisitors: unique });
  creditSpreader(campaignId, via, { directViews: 1, directUniqueVisitors: unique, reach: unique });
  for (const token of via.ancestors) {
    increment(ShareNode, token, { subtreeViews: 1, subtreeUniqueVisitors: unique });
    const ancestor = await nodeFacts(token);
    if (ancestor) creditSpreader(campaignId, ancestor, { indirectViews: 1, indirectUniqueVisitors: unique, reach: unique });
  }
}

export interface LandingOptions {
  /** Client address, for the new-visitor throttle (absent: not throttled, e.g. a WeChat event). */
  address?: string;
}

/**
 * `viewer` opened campaign `campaignId` through token `s` (or none): their own node (created on
 * their first landing, below the node they came through unless it is their own), their first
 * visit, and the counters. Answers the viewer's own token.
 */
export async function recordLanding(campaignId: string, viewer: ShareOwnerRef, s: string | undefined, options: LandingOptions = {}): Promise<string> {
  const landedOn = s ? await nodeFacts(s) : null;
  // A token of another campaign is ignored rather than refused: the page still opens.
  const via = landedOn && landedOn.campaignId === campaignId ? landedOn : null;
  const self = Boolean(via && via.ownerKind === viewer.kind && via.ownerId === viewer.id);
  // A visitor this process has not seen counts as new (no read on the hot path); one over the
  // limit is refused only once the database confirms they hold no token yet.
  if (viewer.kind === 'visitor' && options.address !== undefined && !(await cachedShareToken(campaignId, viewer))) {
    if (addressWindows.hit(options.address) > TRACKING_LIMITS.newVisitorsPerAddress && !(await existingShareToken(campaignId, viewer))) {
      throw new TooManyRequests('TOO_MANY_VISITORS', '访问过于频繁，请稍后再试', Math.ceil(TRACKING_LIMITS.addressWindowMs / 1000));
    }
  }
  const { token, created } = await claimShareNode(campaignId, viewer, self ? null : via, { landing: true });
  // A node made by this landing is the viewer's first visit (no second write for it); a node handed
  // out by distribution is not a visit: its holder's first view is decided by the visit record.
  // Contacts' visits are always recorded: the segment rule "read / not read" reads them.
  let first = created;
  if (!created && !(await nodeFacts(token))?.landed) first = await insertVisit(campaignId, viewer, via?.token ?? null);
  else if (created && viewer.kind === 'contact') await insertVisit(campaignId, viewer, via?.token ?? null);
  if (viewerWindows.hit(`${campaignId}:${viewerKey(viewer)}`) <= TRACKING_LIMITS.viewsPerViewer) {
    await countView(campaignId, token, via, self, first);
  }
  return token;
}

const toLandingContent = (campaign: SpreadCampaign): TrackViewResult['campaign'] => ({
  id: campaign.id,
  name: campaign.name,
  title: campaign.title,
  author: campaign.author,
  coverUrl: campaign.coverUrl || null,
  bodyHtml: campaign.bodyHtml,
  attachments: campaign.attachments,
  intentForm: campaign.intentForm,
});

/** POST /track/view: the landing page's first call. */
export async function trackView(input: TrackView, principal: Principal | null, address: string): Promise<TrackViewResult> {
  const campaign = await landableCampaign(input.campaignId);
  if (!campaign) throw notFound('CAMPAIGN_NOT_FOUND', '活动不存在或已结束');
  const viewer = await viewerOf(principal, input.visitorId);
  const shareToken = await recordLanding(campaign.id, viewer, input.s, { address });
  return { shareToken, campaign: toLandingContent(campaign) };
}

export const POSTER_SCENE_PREFIX = 's_';

/**
 * A follow or SCAN event whose QR scene is a personal poster's (`s_<token>`): a landing through
 * that token by the WeChat user. Anything else (other scenes, unknown tokens, ended campaigns) is
 * ignored; a failure is returned to the caller to log, never thrown into the event handling.
 */
export async function recordSceneLanding(openid: string, scene: string | null): Promise<'landed' | 'ignored'> {
  if (!scene?.startsWith(POSTER_SCENE_PREFIX)) return 'ignored';
  const node = await nodeFacts(scene.slice(POSTER_SCENE_PREFIX.length));
  if (!node || !(await landableCampaign(node.campaignId))) return 'ignored';
  const user = await findWeChatUser('oa', openid);
  if (!user) return 'ignored';
  const viewer: ShareOwnerRef = user.contactId
    ? { kind: 'contact', id: user.contactId }
    : user.staffId
      ? { kind: 'staff', id: user.staffId }
      : { kind: 'wechat', id: user._id };
  await recordLanding(node.campaignId, viewer, node.token);
  return 'landed';
}
