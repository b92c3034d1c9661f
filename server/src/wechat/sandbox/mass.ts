// Mass send. WeChat document followed: "群发接口和原创校验"
// (/doc/offiaccount/Message_Management/Batch_Sends_and_Originality_Checks.html):
//   - POST cgi-bin/message/mass/sendall (a tag or all followers) and cgi-bin/message/mass/send
//     (an openid list, 2–10,000 openids → else 40130); clientmsgid dedupes for 24 h (45065 with
//     the earlier msg_id), and without one WeChat uses a digest of target + content; a
//     service-account follower receives at most 4 mass messages per month (the rest are silently
//     not delivered).
//   - POST cgi-bin/message/mass/preview: one follower (`touser`), outside the monthly count.
import { createHash } from 'node:crypto';
import type Router from '@koa/router';
import { wxError } from './errors.js';
import { appOf, handle, isObject, optInt, optString, readBody, requireToken, type SandboxCtxState } from './http.js';
import type { OaUser, SandboxStore } from './state.js';

export const MASS_MSGTYPES = ['mpnews', 'text', 'voice', 'image', 'mpvideo', 'wxcard'] as const;
const CLIENTMSGID_MAX_BYTES = 64;
const DEDUPE_MS = 24 * 3600_000;
export const MASS_SEND_MIN_OPENIDS = 2;
export const MASS_SEND_MAX_OPENIDS = 10_000;

type Target = { toAll: boolean; tagId?: number; openids?: string[] };

/** YYYY-MM in China time (UTC+8), the month the monthly quota counts in. */
function chinaMonth(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 7);
}

function checkMassContent(body: Record<string, unknown>): string {
  const msgtype = optString(body.msgtype);
  if (!msgtype || !(MASS_MSGTYPES as readonly string[]).includes(msgtype)) throw wxError(40008);
  const content = body[msgtype];
  if (!isObject(content)) throw wxError(44002, msgtype);
  if (msgtype === 'text') {
    if (typeof content.content !== 'string' || content.content === '') throw wxError(44004);
  } else if (msgtype === 'wxcard') {
    if (!optString(content.card_id)) throw wxError(47001, 'wxcard.card_id');
  } else if (!optString(content.media_id)) {
    throw wxError(47001, `${msgtype}.media_id`);
  }
  return msgtype;
}

function submit(store: SandboxStore, appid: string, body: Record<string, unknown>, target: Target, msgtype: string) {
  let clientmsgid = optString(body.clientmsgid);
  if (clientmsgid !== undefined && Buffer.byteLength(clientmsgid) > CLIENTMSGID_MAX_BYTES) throw wxError(45067);
  const content = { msgtype, [msgtype]: body[msgtype] };
  clientmsgid ??= createHash('sha1')
    .update(JSON.stringify({ ...target, content }))
    .digest('hex');

  const now = store.now();
  const dedupeKey = `${appid}\n${clientmsgid}`;
  const earlier = store.massDedupe.get(dedupeKey);
  if (earlier && now - earlier.at < DEDUPE_MS) throw wxError(45065, undefined, { msg_id: earlier.msg_id });

  const msgId = store.nextMsgid();
  const job: { msg_id: number; msg_data_id?: number; at: number } = { msg_id: msgId, at: now };
  // Only articles (mpnews) get a msg_data_id, used for their statistics.
  if (msgtype === 'mpnews') job.msg_data_id = 2_200_000_000 + (msgId % 100_000_000);
  store.massDedupe.set(dedupeKey, job);

  const month = chinaMonth(now);
  const limit = store.massMonthlyLimitPerUser;
  const listed = target.openids ? new Set(target.openids) : undefined;
  const chosen = (u: OaUser) =>
    target.toAll || (listed ? listed.has(u.openid) : target.tagId !== undefined && u.tagIds.includes(target.tagId));
  const recipients = [...store.oaUsers.values()].filter((u) => u.appid === appid && u.subscribed && chosen(u));
  for (const user of recipients) {
    if (user.mass.month !== month) user.mass = { month, count: 0 };
    if (limit > 0 && user.mass.count >= limit) continue;
    user.mass.count += 1;
    store.record('mass', appid, user.openid, content, msgId);
  }
  return {
    errcode: 0,
    errmsg: 'send job submission success',
    msg_id: job.msg_id,
    ...(job.msg_data_id !== undefined ? { msg_data_id: job.msg_data_id } : {}),
  };
}

export function registerMassRoutes(router: Router<SandboxCtxState>, store: SandboxStore): void {
  router.post(
    '/cgi-bin/message/mass/sendall',
    requireToken(store, 'oa'),
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const body = readBody(ctx);
      const filter = body.filter;
      if (!isObject(filter)) throw wxError(47001, 'filter');
      const toAll = filter.is_to_all === true || filter.is_to_all === 'true';
      const tagId = optInt(filter.tag_id);
      if (!toAll && (tagId === undefined || !store.tagsOf(appid).has(tagId))) throw wxError(40152);
      const msgtype = checkMassContent(body);
      return submit(store, appid, body, { toAll, ...(tagId !== undefined ? { tagId } : {}) }, msgtype);
    }),
  );

  router.post(
    '/cgi-bin/message/mass/send',
    requireToken(store, 'oa'),
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const body = readBody(ctx);
      const list = body.touser;
      if (!Array.isArray(list) || list.some((openid) => typeof openid !== 'string')) throw wxError(47001, 'touser');
      const openids = [...new Set(list as string[])];
      if (openids.length < MASS_SEND_MIN_OPENIDS || openids.length > MASS_SEND_MAX_OPENIDS) throw wxError(40130);
      const msgtype = checkMassContent(body);
      return submit(store, appid, body, { toAll: false, openids }, msgtype);
    }),
  );

  router.post(
    '/cgi-bin/message/mass/preview',
    requireToken(store, 'oa'),
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const body = readBody(ctx);
      const openid = optString(body.touser);
      const user = openid ? store.oaUser(appid, openid) : undefined;
      if (!user) throw wxError(40003);
      if (!user.subscribed) throw wxError(43004);
      const msgtype = checkMassContent(body);
      const msgId = store.nextMsgid();
      store.record('mass', appid, user.openid, { msgtype, [msgtype]: body[msgtype], preview: true }, msgId);
      return { errcode: 0, errmsg: 'preview success', msg_id: msgId };
    }),
  );
}
