// Official Account messages to one user: template messages (POST /cgi-bin/message/template/send)
// and customer-service messages (POST /cgi-bin/message/custom/send).
import type Router from '@koa/router';
import { ok, wxError } from './errors.js';
import { appOf, handle, isObject, optString, readBody, requireToken, type SandboxCtxState } from './http.js';
import type { OaUser, SandboxStore, ServiceWindow } from './state.js';

/** WeChat rule: the same openid + client_msg_id is delivered once within 10 minutes. */
const TEMPLATE_DEDUPE_MS = 10 * 60_000;

export const CUSTOM_MSGTYPES = [
  'text',
  'image',
  'voice',
  'video',
  'music',
  'news',
  'mpnews',
  'mpnewsarticle',
  'msgmenu',
  'wxcard',
  'miniprogrampage',
] as const;

/** Template `data` is `{ key: { value: string, color? } }`; 47003 otherwise. */
export function checkTemplateData(data: unknown): void {
  if (data === undefined) return;
  if (!isObject(data)) throw wxError(47001, 'data');
  for (const [key, item] of Object.entries(data)) {
    if (!isObject(item) || typeof item.value !== 'string') throw wxError(47003, `data.${key}.value invalid`);
  }
}

/** The follower `touser` names: 40003 when unknown to this account. */
function follower(store: SandboxStore, appid: string, body: Record<string, unknown>): OaUser {
  const openid = optString(body.touser);
  const user = openid ? store.oaUser(appid, openid) : undefined;
  if (!user) throw wxError(40003);
  return user;
}

/** Use one message of the user's open windows (the one closing first); 45015 / 45047 otherwise. */
function takeWindowSlot(user: OaUser, now: number): void {
  if (!user.subscribed) throw wxError(45015);
  const open = [user.windows.event, user.windows.message]
    .filter((w): w is ServiceWindow => w !== undefined && w.until > now)
    .sort((a, b) => a.until - b.until);
  if (open.length === 0) throw wxError(45015);
  const slot = open.find((w) => w.remaining > 0);
  if (!slot) throw wxError(45047);
  slot.remaining -= 1;
}

function checkCustomContent(body: Record<string, unknown>): void {
  const msgtype = optString(body.msgtype);
  if (!msgtype || !(CUSTOM_MSGTYPES as readonly string[]).includes(msgtype)) throw wxError(40008);
  const content = body[msgtype];
  if (!isObject(content)) throw wxError(44002, msgtype);
  if (msgtype === 'text' && (typeof content.content !== 'string' || content.content === '')) throw wxError(44004);
  if ((msgtype === 'image' || msgtype === 'voice' || msgtype === 'mpnews') && !optString(content.media_id)) {
    throw wxError(47001, `${msgtype}.media_id`);
  }
  if (msgtype === 'news') {
    const articles = content.articles;
    // WeChat allows one article per customer-service news message today.
    if (!Array.isArray(articles) || articles.length !== 1) throw wxError(47001, 'news.articles');
  }
  if (msgtype === 'miniprogrampage' && (!optString(content.appid) || !optString(content.pagepath))) {
    throw wxError(47001, 'miniprogrampage.appid/pagepath');
  }
}

export function registerMessageRoutes(router: Router<SandboxCtxState>, store: SandboxStore): void {
  const auth = requireToken(store, 'oa');

  router.post(
    '/cgi-bin/message/template/send',
    auth,
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const body = readBody(ctx);
      const user = follower(store, appid, body);
      if (!optString(body.template_id)) throw wxError(40037);
      checkTemplateData(body.data);
      if (body.url !== undefined && typeof body.url !== 'string') throw wxError(47001, 'url');
      if (body.miniprogram !== undefined && !(isObject(body.miniprogram) && optString(body.miniprogram.appid))) {
        throw wxError(47001, 'miniprogram.appid');
      }
      if (!user.subscribed) throw wxError(43004);

      const now = store.now();
      const clientMsgId = optString(body.client_msg_id);
      const dedupeKey = clientMsgId ? `${appid}\n${user.openid}\n${clientMsgId}` : undefined;
      if (dedupeKey) {
        const seen = store.templateDedupe.get(dedupeKey);
        if (seen && now - seen.at < TEMPLATE_DEDUPE_MS) return ok({ msgid: seen.msgid });
      }
      const msgid = store.nextMsgid();
      if (dedupeKey) store.templateDedupe.set(dedupeKey, { msgid, at: now });
      store.record('template', appid, user.openid, body, msgid);
      return ok({ msgid });
    }),
  );

  router.post(
    '/cgi-bin/message/custom/send',
    auth,
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const body = readBody(ctx);
      const user = follower(store, appid, body);
      checkCustomContent(body);
      takeWindowSlot(user, store.now());
      store.record('custom', appid, user.openid, body);
      return ok();
    }),
  );
}
