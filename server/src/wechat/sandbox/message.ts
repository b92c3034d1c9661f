// Official Account messages to one user. WeChat documents followed:
//   - "模板消息接口" (/doc/offiaccount/Message_Management/Template_Message_Interface.html,
//     POST cgi-bin/message/template/send): 43004 not following, 40037 template not in the account,
//     47003 data not matching its keywords (rules in templates.ts); client_msg_id dedupes.
//   - "客服消息" (/doc/offiaccount/Message_Management/Service_Center_messages.html,
//     POST cgi-bin/message/custom/send): the 48 h / 5 and 1 min / 3 windows (45015 / 45047);
//     a news message holds at most 1 article ("图文消息条数限制在1条以内") → 45008.
import type Router from '@koa/router';
import { ok, wxError } from './errors.js';
import { appOf, handle, isObject, optString, readBody, requireToken, type SandboxCtxState } from './http.js';
import type { OaUser, SandboxStore, ServiceWindow } from './state.js';
import { checkTemplateValues, findTemplate } from './templates.js';

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

/** WeChat: "图文消息条数限制在1条以内，注意，如果图文数超过1，则将返回错误码45008". */
export const CUSTOM_NEWS_MAX_ARTICLES = 1;

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
    if (!Array.isArray(articles) || articles.length === 0) throw wxError(47001, 'news.articles');
    if (articles.length > CUSTOM_NEWS_MAX_ARTICLES) throw wxError(45008);
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
      checkTemplateValues(findTemplate(store, appid, body.template_id), body.data);
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
