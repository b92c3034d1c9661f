// Writing the conversation record (oa_chat_messages, oa_conversations) off the Official Account's
// reply path: a handler notes an inbound message in memory (no database call) and the notes are
// written in one batch (an insert and a bulk upsert, no reads) — started with the endpoint's other
// buffered writes (message-handlers.ts flushHandlerWrites) or after FLUSH_MS on their own. Like
// the message log, it does not hold back the claims' done marks: a crash loses at most an instant
// of conversation record (the message stays in the log, oa_messages).
//
// Idempotent by itself: a message's `_id` is `msg:<MsgId>`, inserted unordered; a message already
// stored (a retry that was handled again after a crash, another process) is refused by the unique
// `_id` and only the messages actually inserted move their conversation's counters.
//
// The conversation's upsert is a read and a write on FerretDB: a follower writing several
// messages in a row moves it once per CONVERSATION_COALESCE_MS. A conversation this process
// wrote less than that ago keeps the new messages' summary (count, last text, intent) in memory
// for at most that long, then writes it in one upsert; the thread itself (oa_chat_messages) is
// written with the batch. So the console's list may trail a busy follower by a few seconds, and a
// crash may leave those seconds out of its counters and last text (the thread stays complete).
import { randomUUID } from 'node:crypto';
import { hasOaIntent, OA_MESSAGE_MAX_CHARS, oaMessagePlaceholders, oaUnknownMessagePlaceholder } from '@qiao/shared';
import { isDuplicateKey } from '../../lib/db.js';
import { FlushTimer } from '../../lib/flush-timer.js';
import { addSearchKeys } from '../../lib/search.js';
import { findWeChatUser } from '../identity/wechat-user.service.js';
import type { OaMessage } from './message-handlers.js';
import { OaChatMessage, OaConversation } from './oa-message.model.js';
import { oaMessageSearchKeys } from './oa-message.search.js';

const FLUSH_MS = 250;
/** A conversation written this recently waits (at most this long) before its next upsert. */
export const CONVERSATION_COALESCE_MS = 5_000;
const MAX_REMEMBERED = 50_000;
/** After a failed write (database busy or away). */
const RETRY_LATER_MS = 1_000;
/** Past this many unwritten notes (database down a long while) the oldest are dropped. */
const MAX_PENDING = 20_000;

interface Noted {
  _id: string;
  openid: string;
  direction: 'in';
  msgType: string;
  content: string;
  intent: boolean;
  at: Date;
}

let pending: Noted[] = [];
const flushTimer = new FlushTimer(() => flushConversationMessages({ due: true }));
let writing: Promise<void> = Promise.resolve();

const cap = (text: string) => (text.length > OA_MESSAGE_MAX_CHARS ? `${text.slice(0, OA_MESSAGE_MAX_CHARS - 1)}…` : text);

/** What a message shows as: its text, or a placeholder (with a link's title or a place's label). */
export function messageContent(message: OaMessage): string {
  if (message.MsgType === 'text') return cap(message.Content ?? '');
  const placeholder = oaMessagePlaceholders[message.MsgType] ?? oaUnknownMessagePlaceholder;
  const detail = message.MsgType === 'link' ? message.Title : message.MsgType === 'location' ? message.Label : undefined;
  return cap(typeof detail === 'string' && detail.trim() ? `${placeholder} ${detail.trim()}` : placeholder);
}

/** A follower's message (not an event): noted now, written with the next batch. No I/O here. */
export function noteInboundMessage(message: OaMessage, receivedAt: Date): void {
  if (message.MsgType === 'event') return;
  const content = messageContent(message);
  pending.push({
    // Messages carry a MsgId; the fallback is WeChat's event key (sender + time), just as unique.
    _id: message.MsgId ? `msg:${message.MsgId}` : `msg:${message.FromUserName}:${message.CreateTime}`,
    openid: message.FromUserName,
    direction: 'in',
    msgType: message.MsgType,
    content,
    intent: message.MsgType === 'text' && hasOaIntent(content),
    at: receivedAt,
  });
  if (pending.length > MAX_PENDING) pending = pending.slice(pending.length - MAX_PENDING);
  flushTimer.schedule(FLUSH_MS);
}


/** Indexes of the documents an unordered insert refused as already stored; rethrows anything else. */
function refusedAsDuplicates(error: unknown): Set<number> {
  const raw = (error as { writeErrors?: unknown }).writeErrors;
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Array<{ index?: number }>;
  if (list.length === 0 || !list.every((e) => typeof e.index === 'number' && isDuplicateKey(e))) throw error;
  return new Set(list.map((e) => e.index!));
}

async function insertNew(batch: Noted[]): Promise<Noted[]> {
  try {
    // Through the driver: the notes are built here, whole (no casting or defaults to add).
    await OaChatMessage.collection.insertMany(batch as never[], { ordered: false });
    return batch;
  } catch (error) {
    const refused = refusedAsDuplicates(error);
    return batch.filter((_, i) => !refused.has(i));
  }
}

/**
 * The wechat_users id of a conversation written before it was known (the flush reads nothing: it
 * must not slow the endpoint's other writes) — looked up when the conversation is first listed.
 */
export async function rememberConversationUser(openid: string): Promise<string | null> {
  const user = await findWeChatUser('oa', openid);
  if (user) await OaConversation.updateOne({ _id: openid }, { $set: { wechatUserId: user._id } });
  return user?._id ?? null;
}

interface Summary {
  count: number;
  last: Noted;
  intent: boolean;
  /** When its first message was stored: upserted at most CONVERSATION_COALESCE_MS later. */
  since: number;
}

/** Inserted messages whose conversation is not upserted yet, by openid. */
const summaries = new Map<string, Summary>();
/** openid → when this process last upserted its conversation (ms). */
const upsertedAt = new Map<string, number>();

function summarise(inserted: Noted[]): void {
  const now = Date.now();
  for (const note of inserted) {
    const summary = summaries.get(note.openid) ?? { count: 0, last: note, intent: false, since: now };
    summary.count += 1;
    if (note.at.getTime() >= summary.last.at.getTime()) summary.last = note;
    summary.intent ||= note.intent;
    summaries.set(note.openid, summary);
  }
}

/** Upserted now: not written by this process lately, or waiting CONVERSATION_COALESCE_MS already. */
const isDue = (openid: string, summary: Summary, now: number) =>
  now - (upsertedAt.get(openid) ?? -Infinity) >= CONVERSATION_COALESCE_MS || now - summary.since >= CONVERSATION_COALESCE_MS;

async function upsertConversations(updates: Array<{ updateOne: { filter: { _id: string }; update: Record<string, unknown>; upsert: true } }>): Promise<void> {
  try {
    await OaConversation.collection.bulkWrite(updates as never[], { ordered: false });
  } catch (error) {
    // Two processes creating one conversation: one upsert loses on the unique _id — run it again.
    if (!isDuplicateKey(error)) refusedAsDuplicates(error);
    await OaConversation.collection.bulkWrite(updates as never[], { ordered: false });
  }
}

async function insertMessages(batch: Noted[]): Promise<void> {
  const unique = [...new Map(batch.map((note) => [note._id, note])).values()];
  const inserted = await insertNew(unique);
  if (inserted.length === 0) return;
  summarise(inserted);
  // Search keys of the new messages' text (oa-message.search.ts); fixed ids, so a retry adds none twice.
  await addSearchKeys(inserted.flatMap(oaMessageSearchKeys));
}

/** Upsert the conversations of the stored messages (with `due`, those that may not wait); a failed upsert keeps its summaries. */
async function writeConversations(due: boolean): Promise<void> {
  const now = Date.now();
  const byOpenid = [...summaries].filter(([openid, summary]) => !due || isDue(openid, summary, now));
  for (const [openid] of byOpenid) summaries.delete(openid);
  let waitsSince = Infinity;
  for (const summary of summaries.values()) waitsSince = Math.min(waitsSince, summary.since);
  if (waitsSince < Infinity) flushTimer.schedule(Math.max(FLUSH_MS, waitsSince + CONVERSATION_COALESCE_MS - now));
  if (byOpenid.length === 0) return;
  try {
    await upsertAll(byOpenid);
  } catch (error) {
    // Back for the next flush, merged with what came since.
    for (const [openid, summary] of byOpenid) {
      const later = summaries.get(openid);
      if (later) {
        later.count += summary.count;
        if (summary.last.at.getTime() > later.last.at.getTime()) later.last = summary.last;
        later.intent ||= summary.intent;
        later.since = Math.min(later.since, summary.since);
      } else summaries.set(openid, summary);
    }
    flushTimer.schedule(RETRY_LATER_MS);
    throw error;
  }
  if (upsertedAt.size >= MAX_REMEMBERED) upsertedAt.clear();
  for (const [openid] of byOpenid) upsertedAt.set(openid, now);
}

async function upsertAll(byOpenid: Array<[string, Summary]>): Promise<void> {
  await upsertConversations(
    byOpenid.map(([openid, { count, last, intent }]) => {
      return {
        updateOne: {
          filter: { _id: openid },
          update: {
            $set: { lastText: last.content, lastDirection: 'in', ...(intent ? { intent: true } : {}) },
            $max: { lastAt: last.at, lastInboundAt: last.at },
            $inc: { inCount: count },
            $setOnInsert: { seenInCount: 0, leadId: null, wechatUserId: null, ...(intent ? {} : { intent: false }) },
          },
          upsert: true,
        },
      };
    }),
  );
}

/**
 * Write what is noted now — with `due`, the conversations that may not wait (the rest within
 * CONVERSATION_COALESCE_MS); resolves when it (and any earlier flush) is written. A failed write
 * (database unavailable) keeps its notes (or the stored messages' summaries) for the next flush,
 * and rejects.
 */
export function flushConversationMessages(options: { due?: boolean } = {}): Promise<void> {
  flushTimer.cancel();
  const batch = pending;
  pending = [];
  const run = writing.then(async () => {
    if (batch.length > 0) {
      try {
        await insertMessages(batch);
      } catch (error) {
        pending = [...batch, ...pending];
        flushTimer.schedule(RETRY_LATER_MS);
        throw error;
      }
    }
    await writeConversations(options.due ?? false);
  });
  writing = run.catch(() => {});
  return run;
}

/** A reply sent from the console: stored at once (not a hot path); the conversation counts as seen. */
export async function storeReply(reply: { openid: string; wechatUserId: string; text: string; staffId: string; at: Date }): Promise<string> {
  const { openid, wechatUserId, text, staffId, at } = reply;
  // The follower's messages waiting for their conversation's upsert go first: written after the
  // reply, they would set the last text back to theirs.
  await flushConversationMessages().catch(() => {});
  const id = randomUUID();
  await OaChatMessage.create({ _id: id, openid, direction: 'out', msgType: 'text', content: cap(text), intent: false, staffId, at });
  await addSearchKeys(oaMessageSearchKeys({ _id: id, msgType: 'text', content: cap(text) }));
  const conversation = await OaConversation.findById(openid, { inCount: 1 }).lean();
  await upsertConversations([
    {
      updateOne: {
        filter: { _id: openid },
        update: {
          $set: { lastText: cap(text), lastDirection: 'out', seenInCount: conversation?.inCount ?? 0 },
          $max: { lastAt: at },
          $setOnInsert: { inCount: 0, intent: false, leadId: null, lastInboundAt: null, wechatUserId },
        },
        upsert: true,
      },
    },
  ]);
  return id;
}
