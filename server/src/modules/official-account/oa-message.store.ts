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
import { randomUUID } from 'node:crypto';
import { hasOaIntent, OA_MESSAGE_MAX_CHARS, oaMessagePlaceholders, oaUnknownMessagePlaceholder } from '@qiao/shared';
import { isDuplicateKey } from '../../lib/db.js';
import { addSearchKeys } from '../../lib/search.js';
import { findWeChatUser } from '../identity/wechat-user.service.js';
import type { OaMessage } from './message-handlers.js';
import { OaChatMessage, OaConversation } from './oa-message.model.js';
import { oaMessageSearchKeys } from './oa-message.search.js';

const FLUSH_MS = 250;
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
let timer: NodeJS.Timeout | undefined;
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
  timer ??= setTimeout(() => void flushConversationMessages().catch(() => {}), FLUSH_MS);
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
    await OaChatMessage.insertMany(batch, { ordered: false, lean: true });
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
}

async function upsertConversations(updates: Array<{ updateOne: { filter: { _id: string }; update: Record<string, unknown>; upsert: true } }>): Promise<void> {
  try {
    await OaConversation.bulkWrite(updates, { ordered: false });
  } catch (error) {
    // Two processes creating one conversation: one upsert loses on the unique _id — run it again.
    if (!isDuplicateKey(error)) refusedAsDuplicates(error);
    await OaConversation.bulkWrite(updates, { ordered: false });
  }
}

async function write(batch: Noted[]): Promise<void> {
  const unique = [...new Map(batch.map((note) => [note._id, note])).values()];
  const inserted = await insertNew(unique);
  if (inserted.length === 0) return;
  // Search keys of the new messages' text (oa-message.search.ts); fixed ids, so a retry adds none twice.
  await addSearchKeys(inserted.flatMap(oaMessageSearchKeys));
  const byOpenid = new Map<string, Summary>();
  for (const note of inserted) {
    const summary = byOpenid.get(note.openid) ?? { count: 0, last: note, intent: false };
    summary.count += 1;
    if (note.at.getTime() >= summary.last.at.getTime()) summary.last = note;
    summary.intent ||= note.intent;
    byOpenid.set(note.openid, summary);
  }
  await upsertConversations(
    [...byOpenid].map(([openid, { count, last, intent }]) => {
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
 * Write what is noted now; resolves when it (and any earlier flush) is written. A failed write
 * (database unavailable) keeps its notes for the next flush, and rejects. (Should only the
 * conversation update have failed, the retry finds the messages stored and leaves that
 * conversation's counters short: the thread itself stays complete.)
 */
export function flushConversationMessages(): Promise<void> {
  clearTimeout(timer);
  timer = undefined;
  if (pending.length === 0) return writing;
  const batch = pending;
  pending = [];
  const run = writing.then(() =>
    write(batch).catch((error: unknown) => {
      pending = [...batch, ...pending];
      throw error;
    }),
  );
  writing = run.catch(() => {});
  return run;
}

/** A reply sent from the console: stored at once (not a hot path); the conversation counts as seen. */
export async function storeReply(reply: { openid: string; wechatUserId: string; text: string; staffId: string; at: Date }): Promise<string> {
  const { openid, wechatUserId, text, staffId, at } = reply;
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
