// Day rollups of leads for the lead funnel and owner performance (report_lead_days): per China day
// of creation, the leads counted per department, owner, source and campaign, with how many were
// converted and won (and the won amount). A lead's creation day never changes, its figures do: a
// day is always recomputed whole from its leads (an indexed createdAt range) and their won
// opportunities. Which days: the leads and opportunities written (`updatedAt`, stamped by mongoose
// on every write of the services) since a watermark, read again 2 minutes back for clock skew and
// writes in flight — so a conversion, a win, a reassignment of a lead of any old day shows in the
// next report. A day never filled is filled on its first read (lib/day-rollups.ts), and the job
// (`reports.sales-days`, every minute) catches up and fills the history. Writers in several
// processes converge without a lock, as the request rollups do (service/report-days.ts).
import { chinaDate } from '../../lib/china-time.js';
import { Lead } from './lead.model.js';
import { leadsOfOpportunitiesWrittenSince, opportunitiesWritten, wonAmounts, wonOpportunitiesOfLeads, type WonOpportunity } from './opportunity.stats.js';
import { dayRange, daysOfPeriod, FAR_FUTURE, readSawWrites, replaceDay, rollupWatermark, sawEveryWrite, serialQueue, settleAll, writtenSinceRead, type DayStore } from '../../lib/day-rollups.js';
import { LeadDay, type LeadCell, type LeadDayDoc } from './report-days.model.js';

export type { LeadCell, LeadDayDoc } from './report-days.model.js';

/** Settings record of the watermark (absent: nothing stored can be trusted, start afresh). */
export const LEAD_DAYS_STATE = 'reports.leadDays';
export const LEAD_WATERMARK_OVERLAP_MS = 2 * 60_000;
/** How often one recompute reads its day again when its leads keep changing meanwhile. */
const RECOMPUTE_ROUNDS = 5;
const CHUNK = 500;

export interface LeadRow {
  _id: unknown;
  updatedAt?: Date | null;
  source: string;
  campaignId?: string | null;
  campaignName?: string | null;
  status: string;
  ownerId?: string | null;
  department?: string | null;
  convertedAt?: Date | null;
}
const FIELDS = { source: 1, campaignId: 1, campaignName: 1, status: 1, ownerId: 1, department: 1, convertedAt: 1, updatedAt: 1 } as const;

export const isConverted = (lead: Pick<LeadRow, 'status' | 'convertedAt'>) => lead.status === 'converted' || !!lead.convertedAt;

/** Cells of some leads (`won`: the won amount per lead id), in first-seen order. */
export function summarizeLeads(leads: LeadRow[], won: Map<string, number>): LeadCell[] {
  const cells = new Map<string, LeadCell>();
  for (const lead of leads) {
    const department = lead.department ?? '';
    const ownerId = lead.ownerId ?? '';
    const campaignId = lead.campaignId ?? '';
    const key = JSON.stringify([department, ownerId, lead.source, campaignId]);
    let cell = cells.get(key);
    if (!cell) {
      cell = { department, ownerId, source: lead.source, campaignId, campaignName: lead.campaignName ?? '', leads: 0, converted: 0, won: 0, wonAmount: 0 };
      cells.set(key, cell);
    }
    cell.leads += 1;
    if (isConverted(lead)) cell.converted += 1;
    const amount = won.get(String(lead._id));
    if (amount !== undefined) {
      cell.won += 1;
      cell.wonAmount += amount;
    }
  }
  return [...cells.values()];
}

/**
 * Whether the read of `day` from `readAt` on saw every write since to its leads and to their
 * opportunities (day-rollups.ts): a lead of the day, or a won opportunity of one of its leads.
 */
async function sawWritesOfDay(day: string, leads: LeadRow[], won: WonOpportunity[], readAt: Date): Promise<boolean> {
  if (!(await readSawWrites(Lead, { createdAt: dayRange(day) }, leads, readAt))) return false;
  const leadIds = new Set(leads.map((lead) => String(lead._id)));
  const ofDay = (await opportunitiesWritten(writtenSinceRead(readAt))).filter((row) => row.leadId && leadIds.has(row.leadId));
  return sawEveryWrite(won, ofDay, (row) => row.stage === 'won');
}

/**
 * Recomputes one China day from its leads and stores it whole. With other writers of the day (the
 * job, reports in other processes): a writer whose read began later wins the write, and a writer
 * whose read missed a write reads again — the last write left standing is by a writer whose read
 * saw every change.
 */
export async function recomputeLeadDay(day: string): Promise<number> {
  let count = 0;
  for (let round = 0; round < RECOMPUTE_ROUNDS; round += 1) {
    const computedAt = new Date();
    const leads = await Lead.find({ createdAt: dayRange(day) }, FIELDS).lean<LeadRow[]>();
    const won = await wonOpportunitiesOfLeads(leads.map((lead) => String(lead._id)));
    count = leads.length;
    await replaceDay(LeadDay, { _id: day, total: leads.length, cells: summarizeLeads(leads, wonAmounts(won)), computedAt });
    // Beyond the rounds, the changes' own `updatedAt` brings the day back at the next catch-up.
    if (await sawWritesOfDay(day, leads, won, computedAt)) break;
  }
  return count;
}

const leadDayStore: DayStore<LeadDayDoc> = {
  model: LeadDay,
  count: (start, end) => Lead.countDocuments({ createdAt: { $gte: start, $lt: end } }),
  recompute: async (day) => void (await recomputeLeadDay(day)),
  empty: (day, computedAt) => ({ _id: day, total: 0, cells: [], computedAt }),
};

const { read: readWatermark, write: writeWatermark } = rollupWatermark(LEAD_DAYS_STATE);


/** Refreshes in this process run one after another. */
const serially = serialQueue();

/** Creation days of the leads written, or whose opportunities were written, since the watermark. */
async function changedDays(since: Date): Promise<string[]> {
  const range = { $gt: since, $lt: FAR_FUTURE };
  const written = await Lead.find({ updatedAt: range }, { createdAt: 1 }).lean<Array<{ createdAt: Date }>>();
  const days = new Set(written.map((lead) => chinaDate(lead.createdAt)));
  const viaOpportunities = await leadsOfOpportunitiesWrittenSince(since);
  for (let i = 0; i < viaOpportunities.length; i += CHUNK) {
    const leads = await Lead.find({ _id: { $in: viaOpportunities.slice(i, i + CHUNK) } }, { createdAt: 1 }).lean<Array<{ createdAt: Date }>>();
    for (const lead of leads) days.add(chinaDate(lead.createdAt));
  }
  return [...days].sort();
}

/** Recomputes the stored days changed since the watermark (days never filled wait for their first read). */
async function catchUp(): Promise<void> {
  const startedAt = new Date();
  const watermark = await readWatermark();
  if (!watermark) {
    // First run, or the state was removed: what is stored may be stale — start from nothing.
    await LeadDay.deleteMany({});
    await writeWatermark(startedAt);
    return;
  }
  const days = await changedDays(new Date(watermark.getTime() - LEAD_WATERMARK_OVERLAP_MS));
  const stored = new Set((await LeadDay.find({ _id: { $in: days } }, { _id: 1 }).lean<Array<{ _id: string }>>()).map((doc) => doc._id));
  for (const day of days) if (stored.has(day)) await recomputeLeadDay(day);
  // Moves only after the days are written: a crash before this reads the same changes again.
  if (startedAt.getTime() > watermark.getTime()) await writeWatermark(startedAt);
}

/** The lead rollups of the China days [from, to] (days without leads: empty documents). */
export async function leadDays(from: string, to: string): Promise<LeadDayDoc[]> {
  await serially(catchUp);
  return daysOfPeriod(leadDayStore, from, to);
}

/** The job: the catch-up, then every day from the first lead to today filled and checked. */
export function refreshLeadDays(now = new Date()): Promise<void> {
  return serially(async () => {
    await catchUp();
    const first = await Lead.find({ createdAt: { $gte: new Date(0), $lt: FAR_FUTURE } }, { createdAt: 1 }).sort({ createdAt: 1 }).limit(1).lean<Array<{ createdAt: Date }>>();
    await settleAll(leadDayStore, first[0]?.createdAt ?? null, now);
  });
}
