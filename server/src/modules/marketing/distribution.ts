// The distribution of a running campaign (agenda job `marketing.distribute`). Safe to run again at
// any point — after a crash, a restart, a retry — because every recipient's delivery record
// (`<campaignId>:<contactId>`) is INSERTED before anything is sent to them: a re-run finds it and
// moves on, so nobody is sent to twice (docs/only-once.md). Per recipient:
//   skipped (opted-out, frequency-cap, no-wechat, unsubscribed, quota) — nothing sent;
//   service: customer-service message inside the 48-hour window (45015 → mass if chosen, else
//     failed outside-window; 43004 → skipped unsubscribed);
//   mass: recorded `mass-queued`, put on the campaign's WeChat tag and sent by ONE mass/sendall
//     with clientmsgid = campaign id (a repeat after a crash is deduplicated by WeChat → 45065);
//     the campaign then records the send (`mass.msgId`), which makes every queued record
//     delivered at once (no write per recipient: on the embedded database a write per record
//     costs more than the whole send).
// Skips and mass records, which send nothing by themselves, are inserted in batches.
// A customer-service message has no such dedupe: a record left `sending` by a crash (lease run
// out) may or may not have reached WeChat, so it is recorded failed `unknown` and NOT resent —
// a missing message is better than a double one in marketing.
// WeChat errors by kind: -1, HTTP 5xx, network → the record is removed (nothing was delivered) and
// the job throws (agenda retries with backoff; the sweep re-queues after that); timeouts →
// `unknown`; 45009 (API quota) → the campaign pauses and the sweep resumes it later.
import { campaignLandingPath } from '@qiao/shared';
import { isDuplicateKey } from '../../lib/db.js';
import { fileUrl } from '../files/signing.js';
import { activeStaffIdsWithRoles } from '../identity/lookup.service.js';
import { InsertBatcher } from '../spread/insert-batch.js';
import { rootShareTokens, shareTokenOf } from '../spread/lookup.service.js';
import { campaignsReceivedRecently, massCountsThisMonth, MASS_MONTHLY_LIMIT, SERVICE_WINDOW_MS } from './audience.js';
import { Campaign, type CampaignDoc } from './campaign.model.js';
import { DISTRIBUTE_JOB } from './campaign.service.js';
import { contactDeliveryId, Delivery, OptOut, staffDeliveryId, type DeliveryDoc } from './delivery.model.js';
import { errorKind, MASS_QUEUED, outcomeOf, pauseForQuota, type DeliveryState } from './delivery-rules.js';
import { finishMass } from './mass-send.js';
import type { MarketingDeps } from './marketing.deps.js';
import { materialVersionContent } from './material.service.js';
import { Segment, type SegmentDoc } from './segment.model.js';
import { evaluateRules, isFollowing, type SegmentMember } from './segment.service.js';
import type { SegmentRules } from '@qiao/shared';

/** A `sending` customer-service record older than this was cut off (one send takes ≤ 5 s). */
export const SENDING_LEASE_MS = 15_000;
/** One run works this long at most, then queues its continuation (agenda's lock lasts 5 minutes). */
const RUN_SLICE_MS = 4 * 60_000;
/** How often the run looks at the campaign's status (pause / cancel) and writes its heartbeat. */
const STATUS_CHECK_MS = 500;

/** Time lost to a slow send (a busy database) is made up by sending sooner, at most this much. */
const CATCH_UP_MS = 1_000;

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}
// Whole milliseconds, rounded up: a timer's delay is truncated, which would let a call go early.
const realClock: PacerClock = { now: () => performance.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.ceil(ms))) };

/**
 * Waits so that calls go out at `rate` per second: one every 1/rate s, never ahead of that schedule
 * and never more than `rate` (at least 1) within any one second. A slow call does not cost its
 * successors their slots: while the schedule is behind (by at most CATCH_UP_MS), calls go out at
 * once until it is caught up, as far as the last second's count allows.
 */
export function createPacer(rate: number, clock: PacerClock = realClock): () => Promise<void> {
  const interval = 1000 / rate;
  const perSecond = Math.max(1, Math.floor(rate));
  // When each of the last `perSecond` calls was let go (a ring).
  const released: number[] = [];
  let count = 0;
  let next: number | null = null;
  return async () => {
    // Each caller reserves its time before waiting, so concurrent callers never share one.
    const now = clock.now();
    const slot = next === null ? now : Math.max(next, now - CATCH_UP_MS);
    next = slot + interval;
    let at = Math.max(slot, now);
    if (count >= perSecond) at = Math.max(at, released[count % perSecond]! + 1000);
    released[count % perSecond] = at;
    count += 1;
    if (at > now) await clock.sleep(at - now);
  };
}

/**
 * Customer-service sends between their record's insert and its result: what a crash can leave
 * `unknown` (recorded, never resent), so at most two. The pacer sets the rate: a send is one insert,
 * the call and one update (~10 ms idle: 200/s on two), and the pacer makes up a slow one.
 */
export const IN_FLIGHT = 2;
/** Recipients prepared together: the share tokens of their links made by one grouped write. */
const SLICE = 100;

async function statusOf(campaignId: string): Promise<string | null> {
  const doc = await Campaign.findById(campaignId, { status: 1 }).lean<Pick<CampaignDoc, 'status'>>();
  return doc?.status ?? null;
}

const beat = (campaignId: string) => Campaign.updateOne({ _id: campaignId }, { $set: { heartbeatAt: new Date() } });

/** Whether the campaign still runs (not paused or cancelled); if so, the run's heartbeat. */
async function checkStatus(campaignId: string): Promise<boolean> {
  if ((await statusOf(campaignId)) !== 'running') return false;
  await beat(campaignId);
  return true;
}

/** Insert the record; false when it exists (someone handled this recipient already). */
async function claim(doc: Partial<DeliveryDoc> & { _id: string }): Promise<boolean> {
  try {
    await Delivery.create(doc);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

const RECORD_DEFAULTS = { wechatUserId: null, openid: null, reason: null, channel: null, pending: [], shareToken: null, leaseUntil: null, sentAt: null, error: null };
type ServiceRecord = Omit<DeliveryDoc, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };
// Claims of concurrent customer-service sends go as one unordered insert (each still succeeds or
// fails on its own `_id`: the "only once"); complete documents, inserted lean.
const serviceClaims = new InsertBatcher<ServiceRecord>((docs) => Delivery.insertMany(docs, { ordered: false, lean: true }));

const settle = (id: string, state: DeliveryState, reason: string | null, extra: Record<string, unknown> = {}) =>
  Delivery.updateOne({ _id: id }, { $set: { state, reason, outcome: outcomeOf(state, reason), leaseUntil: null, ...(state === 'sent' ? { sentAt: new Date() } : {}), ...extra } });

/** Campaigns with a run in this process; `again`: queued meanwhile (resumed, continued), run once more. */
const running = new Map<string, { again: boolean }>();

/** One run of the distribution of `campaignId` (one at a time per campaign in this process). */
export async function distribute(campaignId: string, deps: MarketingDeps): Promise<void> {
  const current = running.get(campaignId);
  if (current) {
    // The run in progress may be winding down (paused, at its time limit): this one must not be lost.
    current.again = true;
    return;
  }
  const state = { again: false };
  running.set(campaignId, state);
  try {
    if ((await run(campaignId, deps)) === 'continue') state.again = true;
  } finally {
    running.delete(campaignId);
  }
  if (state.again) await deps.jobs.now(DISTRIBUTE_JOB, { campaignId });
}

async function handOutToStaff(campaignId: string): Promise<void> {
  const staffIds = await activeStaffIdsWithRoles(['sales', 'engineer']);
  const done = new Set((await Delivery.find({ campaignId, recipientKind: 'staff' }, { recipientId: 1 }).lean<Array<{ recipientId: string }>>()).map((d) => d.recipientId));
  for (const staffId of staffIds) {
    if (done.has(staffId)) continue;
    const shareToken = await shareTokenOf(campaignId, { kind: 'staff', id: staffId });
    await claim({ _id: staffDeliveryId(campaignId, staffId), campaignId, recipientKind: 'staff', recipientId: staffId, state: 'sent', outcome: 'sent', channel: 'staff', shareToken, sentAt: new Date() });
  }
}

/** Customer-service records cut off by a crash: maybe sent, never resent. */
async function resolveAbandoned(campaignId: string, now = new Date()): Promise<void> {
  await Delivery.updateMany(
    { campaignId, state: 'sending', channel: 'service', leaseUntil: { $lt: now } },
    { $set: { state: 'failed', reason: 'unknown', outcome: 'failed:unknown', leaseUntil: null } },
  );
}

const BATCH = 200;

/** Records that send nothing by themselves (skips, mass queue), inserted together. */
class InsertBuffer {
  private docs: Array<Partial<DeliveryDoc> & { _id: string }> = [];
  add(doc: Partial<DeliveryDoc> & { _id: string }): Promise<void> {
    this.docs.push(doc);
    return this.docs.length >= BATCH ? this.flush() : Promise.resolve();
  }
  async flush(): Promise<void> {
    if (this.docs.length === 0) return;
    const docs = this.docs;
    this.docs = [];
    try {
      await Delivery.insertMany(docs, { ordered: false });
    } catch (error) {
      // Some were recorded by another run already: theirs stand, the rest went in.
      const failures = (error as { writeErrors?: unknown[] }).writeErrors;
      const onlyDuplicates = failures ? failures.every((failure) => isDuplicateKey((failure as { err?: unknown }).err ?? failure)) : isDuplicateKey(error);
      if (!onlyDuplicates) throw error;
    }
  }
}

interface RunContext {
  campaign: CampaignDoc;
  /** The share tokens of the recipients of customer-service messages prepared so far. */
  tokens: Map<string, string>;
  channels: Set<string>;
  optOuts: Set<string>;
  massCounts: Map<string, number>;
  recent: Map<string, number>;
  article: { title: string; description: string; picurl?: string };
  pace: () => Promise<void>;
  buffer: InsertBuffer;
  deps: MarketingDeps;
}

async function run(campaignId: string, deps: MarketingDeps): Promise<'continue' | void> {
  const started = Date.now();
  const campaign = await Campaign.findById(campaignId).lean<CampaignDoc>();
  if (!campaign || campaign.deletedAt || campaign.status !== 'running') return;
  await beat(campaignId);
  const channels = new Set(campaign.channels);
  if (channels.has('staff')) await handOutToStaff(campaignId);

  if (channels.has('service') || channels.has('mass')) {
    const segment = await Segment.findById(campaign.segmentId).lean<SegmentDoc>();
    const members = segment ? await evaluateRules((segment.rules ?? {}) as SegmentRules) : [];
    const done = new Set(
      (await Delivery.find({ campaignId, recipientKind: 'contact' }, { recipientId: 1 }).lean<Array<{ recipientId: string }>>()).map((d) => d.recipientId),
    );
    const todo = members.filter((member) => !done.has(member.contactId));
    await Campaign.updateOne({ _id: campaignId }, { $set: { targeted: Math.max(campaign.targeted ?? 0, done.size + todo.length) } });

    const content = await materialVersionContent(campaign.materialId, campaign.materialVersion ?? 1);
    const now = new Date();
    const context: RunContext = {
      campaign,
      tokens: new Map(),
      channels,
      optOuts: new Set((await OptOut.find({}, { _id: 1 }).lean<Array<{ _id: string }>>()).map((o) => o._id)),
      massCounts: channels.has('mass') ? await massCountsThisMonth(now, campaignId) : new Map(),
      recent: deps.frequencyCap > 0 ? await campaignsReceivedRecently(now, campaignId) : new Map(),
      article: {
        title: content?.title ?? campaign.name,
        description: content?.summary ?? '',
        // The cover link is signed: valid a week (WeChat fetches it when the message is opened).
        ...(content?.coverFileId ? { picurl: `${deps.publicBaseUrl}${fileUrl(content.coverFileId, new Date(now.getTime() + 6 * 24 * 3600_000))}` } : {}),
      },
      pace: createPacer(deps.sendRate),
      buffer: new InsertBuffer(),
      deps,
    };

    let checkedAt = Date.now();
    const inFlight = new Set<Promise<void>>();
    let stop = false;
    let more = false;
    let failure: unknown = null;
    let checking: Promise<void> | null = null;
    // The next slice's tokens are made while this one is sent.
    let prepared = prepareSlice(todo.slice(0, SLICE), context);
    try {
      for (let start = 0; start < todo.length && !stop; start += SLICE) {
        await prepared;
        prepared = prepareSlice(todo.slice(start + SLICE, start + 2 * SLICE), context);
        for (const member of todo.slice(start, start + SLICE)) {
          // Looked at beside the sends, not between them: a wait here would cost the pacer its slots.
          if (!checking && Date.now() - checkedAt >= STATUS_CHECK_MS) {
            checkedAt = Date.now();
            checking = checkStatus(campaignId)
              .then(
                (running) => {
                  if (!running) stop = true;
                },
                (error: unknown) => {
                  failure ??= error;
                  stop = true;
                },
              )
              .finally(() => {
                checking = null;
              });
          }
          if (!stop && Date.now() - started > RUN_SLICE_MS) {
            // Queued once this run is over (agenda's lock would run out).
            more = true;
            stop = true;
          }
          if (stop) break;
          const route = routeOf(member, context);
          if (route.kind !== 'service') {
            await settleWithoutSending(member, route, context);
            continue;
          }
          while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
          if (stop) break;
          const work: Promise<void> = sendService(member, route.openid, context)
            .then(
              (result) => {
                if (result === 'stop') stop = true;
              },
              (error: unknown) => {
                failure ??= error;
                stop = true;
              },
            )
            .finally(() => inFlight.delete(work));
          inFlight.add(work);
        }
      }
    } finally {
      await Promise.allSettled([...inFlight, prepared, checking]);
      await context.buffer.flush();
    }
    if (failure) throw failure;
    if (more) return 'continue';
    if (stop) return;
    await resolveAbandoned(campaignId);
    if (channels.has('mass') && (await finishMass(campaign, deps)) === 'stop') return;
  }

  if ((await Delivery.countDocuments({ campaignId, state: 'sending', channel: 'service' })) > 0) return; // a live lease: the sweep comes back
  await Campaign.updateOne({ _id: campaignId, status: 'running' }, { $set: { status: 'completed', finishedAt: new Date(), heartbeatAt: new Date() } });
}

type Route = { kind: 'service'; openid: string } | { kind: 'mass' } | { kind: 'final'; state: DeliveryState; reason: string };

/** How a recipient is reached (or why not), from what the run knows: no database work. */
function routeOf(member: SegmentMember, context: RunContext): Route {
  const { channels, deps } = context;
  const state = member.wechat;
  const final = (stateName: DeliveryState, reason: string): Route => ({ kind: 'final', state: stateName, reason });
  if (context.optOuts.has(`contact:${member.contactId}`) || (state && context.optOuts.has(`wechat:${state.wechatUserId}`))) return final('skipped', 'opted-out');
  if (deps.frequencyCap > 0 && (context.recent.get(member.contactId) ?? 0) >= deps.frequencyCap) return final('skipped', 'frequency-cap');
  if (!state) return final('skipped', 'no-wechat');
  if (!isFollowing(state)) return final('skipped', 'unsubscribed');
  const inWindow = (state.lastInteractionAt?.getTime() ?? 0) > Date.now() - SERVICE_WINDOW_MS;
  if (channels.has('service') && inWindow) return { kind: 'service', openid: state.oaOpenid };
  if (massOpen(member, context)) return { kind: 'mass' };
  if (channels.has('mass')) return final('skipped', 'quota');
  return final('failed', 'outside-window');
}

/** After the mass send went out nobody new can join it (its tag was sent once). */
function massOpen(member: SegmentMember, context: RunContext): boolean {
  const { campaign, channels } = context;
  const openid = member.wechat?.oaOpenid;
  if (!channels.has('mass') || campaign.mass?.msgId || !openid) return false;
  return (context.massCounts.get(openid) ?? 0) < MASS_MONTHLY_LIMIT;
}

/** The share tokens of a slice's customer-service recipients, made together before their sends. */
async function prepareSlice(members: SegmentMember[], context: RunContext): Promise<void> {
  const contactIds = members.filter((member) => routeOf(member, context).kind === 'service' && !context.tokens.has(member.contactId)).map((member) => member.contactId);
  const tokens = await rootShareTokens(String(context.campaign._id), contactIds.map((id) => ({ kind: 'contact' as const, id })));
  contactIds.forEach((id, i) => context.tokens.set(id, tokens[i]!));
}

function recordBase(member: SegmentMember, context: RunContext) {
  const campaignId = String(context.campaign._id);
  return {
    _id: contactDeliveryId(campaignId, member.contactId),
    campaignId,
    recipientKind: 'contact' as const,
    recipientId: member.contactId,
    wechatUserId: member.wechat?.wechatUserId ?? null,
    openid: member.wechat?.oaOpenid ?? null,
  };
}

/** Records that send nothing by themselves (skips; the mass queue, sent later by one mass/sendall). */
function settleWithoutSending(member: SegmentMember, route: Exclude<Route, { kind: 'service' }>, context: RunContext): Promise<void> {
  const base = recordBase(member, context);
  if (route.kind === 'final') return context.buffer.add({ ...base, state: route.state, reason: route.reason, outcome: outcomeOf(route.state, route.reason) });
  return context.buffer.add({ ...base, state: 'sending', outcome: MASS_QUEUED, channel: 'mass', ...(context.channels.has('service') ? { reason: 'outside-window' } : {}) });
}

/** One customer-service message: its record inserted first (the claim), then the send, then the result. */
async function sendService(member: SegmentMember, openid: string, context: RunContext): Promise<'ok' | 'stop'> {
  const { campaign, deps } = context;
  const campaignId = String(campaign._id);
  const base = recordBase(member, context);
  const shareToken = context.tokens.get(member.contactId) ?? (await shareTokenOf(campaignId, { kind: 'contact', id: member.contactId }));
  const now = new Date();
  const record: ServiceRecord = { ...RECORD_DEFAULTS, ...base, state: 'sending', outcome: 'sending', channel: 'service', shareToken, leaseUntil: new Date(now.getTime() + SENDING_LEASE_MS), createdAt: now, updatedAt: now };
  if (!(await serviceClaims.insert(record))) return 'ok';
  // Paced after the insert, right before the call: the rate holds where WeChat sees it, and the
  // insert overlaps the wait. A crash meanwhile leaves this record `unknown` — still ≤ IN_FLIGHT.
  await context.pace();
  try {
    await deps.wechat.sendCustomMessage({
      touser: openid,
      msgtype: 'news',
      news: { articles: [{ ...context.article, url: `${deps.publicBaseUrl}${campaignLandingPath(campaignId, shareToken)}` }] },
    });
    await settle(base._id, 'sent', null);
    return 'ok';
  } catch (error) {
    const kind = errorKind(error);
    if (kind === 'retry' || kind === 'quota') {
      // Nothing was delivered: give the recipient back to a later run.
      await Delivery.deleteOne({ _id: base._id, state: 'sending' });
      if (kind === 'retry') throw error;
      await pauseForQuota(campaignId, deps);
      return 'stop';
    }
    if (kind === 'window' && massOpen(member, context)) {
      await Delivery.updateOne({ _id: base._id }, { $set: { channel: 'mass', outcome: MASS_QUEUED, reason: 'outside-window', leaseUntil: null } });
      return 'ok';
    }
    if (kind === 'window') await settle(base._id, 'failed', 'outside-window');
    else if (kind === 'unsubscribed') await settle(base._id, 'skipped', 'unsubscribed');
    else await settle(base._id, 'failed', kind === 'unknown' ? 'unknown' : 'error', { error: error instanceof Error ? error.message.slice(0, 300) : null });
    return 'ok';
  }
}
