// Official Account web authorisation (网页授权) in the sandbox:
//   GET /connect/oauth2/authorize?appid=&redirect_uri=&response_type=code&scope=snsapi_base&state=
//     WeChat's authorize page. The sandbox shows a user picker instead: choose an existing person
//     (a follower, or a mini-program user) or create one; "关注公众号" makes them a follower. Then
//     the browser goes to `redirect_uri?code=…&state=…`, as WeChat does.
//   GET /sns/oauth2/access_token?appid=&secret=&code=&grant_type=authorization_code
//     → {access_token, expires_in, refresh_token, openid, scope, unionid?}. Codes are single use and
//     live 5 minutes: reused → 40163, unknown or expired → 40029.
// A person has one unionid across the Official Account and the mini-program (an Open Platform
// account binds both): a person created here, or a mini-program user picked here, gets one if they
// had none; a follower registered without one stays so (a unionid learned later is a real case).
import { createHash } from 'node:crypto';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { rid, wxError } from './errors.js';
import { handle, queryParam, type SandboxContext, type SandboxCtxState } from './http.js';
import { LOGIN_CODE_TTL_MS, randomToken, type OaUser, type SandboxApp, type SandboxStore } from './state.js';
import { checkAppCredentials } from './token.js';

interface OAuthCode {
  appid: string;
  openid: string;
  unionid?: string;
  scope: string;
  expiresAt: number;
  used: boolean;
}

// Kept beside the store (one map per sandbox instance) so the shared state file stays as it is.
const codesByStore = new WeakMap<SandboxStore, Map<string, OAuthCode>>();
function codesOf(store: SandboxStore): Map<string, OAuthCode> {
  let codes = codesByStore.get(store);
  if (!codes) {
    codes = new Map();
    codesByStore.set(store, codes);
  }
  return codes;
}

const SCOPES = ['snsapi_base', 'snsapi_userinfo'];
/** WeChat: state is at most 128 bytes of a-zA-Z0-9. */
const STATE_PATTERN = /^[A-Za-z0-9]{0,128}$/;
const OPENID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const AUTHORIZE_PARAMS = ['appid', 'redirect_uri', 'response_type', 'scope', 'state'] as const;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A stable openid for the same person in another app (WeChat: openids differ per app). */
const derivedOpenid = (appid: string, seed: string) =>
  `o${createHash('sha256').update(`${appid}\n${seed}`).digest('base64url').slice(0, 27)}`;
const newUnionid = () => `u${randomToken(20)}`;

class AuthorizeError extends Error {}

interface AuthorizeRequest {
  app: SandboxApp;
  redirectUri: string;
  scope: string;
  state: string;
}

/** The authorize parameters, checked as WeChat checks them (its error page says which is wrong). */
function authorizeRequest(ctx: SandboxContext, store: SandboxStore): AuthorizeRequest {
  const app = store.apps.get(queryParam(ctx, 'appid'));
  if (!app || app.kind !== 'oa') throw new AuthorizeError('appid 参数错误（40013）');
  const redirectUri = queryParam(ctx, 'redirect_uri');
  let url: URL | null = null;
  try {
    url = new URL(redirectUri);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new AuthorizeError('redirect_uri 参数错误');
  if (queryParam(ctx, 'response_type') !== 'code') throw new AuthorizeError('response_type 参数错误');
  const scope = queryParam(ctx, 'scope');
  if (!SCOPES.includes(scope)) throw new AuthorizeError('scope 参数错误');
  const state = queryParam(ctx, 'state');
  if (!STATE_PATTERN.test(state)) throw new AuthorizeError('state 参数错误（最多 128 个字母或数字）');
  return { app, redirectUri, scope, state };
}

function html(ctx: SandboxContext, status: number, title: string, body: string): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>
body{font-family:sans-serif;margin:0;padding:16px;color:#222;background:#f5f5f5}h1{font-size:18px}
form{background:#fff;border-radius:8px;padding:12px;margin:10px 0}.who{font-weight:bold}.meta{color:#888;font-size:12px;word-break:break-all}
button{background:#07c160;color:#fff;border:0;border-radius:4px;padding:8px 14px;font-size:15px;margin-top:8px}
input[type=text]{width:100%;box-sizing:border-box;padding:6px;margin:4px 0}label{display:block;margin-top:6px}
</style></head><body>${body}</body></html>`;
}

function hiddenParams(ctx: SandboxContext): string {
  return AUTHORIZE_PARAMS.map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(queryParam(ctx, name))}">`).join('');
}

interface Person {
  key: string;
  openid: string;
  label: string;
  meta: string;
  follows: boolean;
}

/** Everyone the sandbox knows for this Official Account: its followers, then mini-program users not yet among them. */
function people(store: SandboxStore, app: SandboxApp): Person[] {
  const followers = [...store.oaUsers.values()].filter((user) => user.appid === app.appid);
  const unionids = new Set(followers.flatMap((user) => (user.unionid ? [user.unionid] : [])));
  const list: Person[] = followers.map((user) => ({
    key: `oa:${user.openid}`,
    openid: user.openid,
    label: user.nickname || user.openid,
    meta: `公众号 openid ${user.openid}${user.unionid ? ` · unionid ${user.unionid}` : ''} · ${user.subscribed ? '已关注' : '未关注'}`,
    follows: user.subscribed,
  }));
  for (const user of store.mpUsers.values()) {
    if (user.unionid && unionids.has(user.unionid)) continue;
    list.push({
      key: `mp:${user.appid}:${user.openid}`,
      openid: user.openid,
      label: user.openid,
      meta: `小程序用户 openid ${user.openid}${user.unionid ? ` · unionid ${user.unionid}` : ''}`,
      follows: false,
    });
  }
  return list;
}

function pickerPage(ctx: SandboxContext, store: SandboxStore, request: AuthorizeRequest): void {
  const hidden = hiddenParams(ctx);
  const action = 'authorize/choose';
  const existing = people(store, request.app)
    .map(
      (person) => `<form method="get" action="${action}" class="person" data-openid="${escapeHtml(person.openid)}">${hidden}
<input type="hidden" name="person" value="${escapeHtml(person.key)}">
<div class="who">${escapeHtml(person.label)}</div><div class="meta">${escapeHtml(person.meta)}</div>
<label><input type="checkbox" name="follow" value="1"${person.follows ? ' checked' : ''}> 关注公众号</label>
<button type="submit">以此身份登录</button></form>`,
    )
    .join('');
  html(
    ctx,
    200,
    '微信授权（沙箱）',
    `<h1>微信网页授权（沙箱）</h1><p class="meta">真实微信会静默授权当前微信用户；沙箱里请选择“你是谁”。</p>
${existing || '<p class="meta">沙箱里还没有用户，请新建一个。</p>'}
<form method="get" action="${action}" id="new-person">${hidden}<input type="hidden" name="person" value="new">
<div class="who">新建用户</div>
<label>昵称（可选）<input type="text" name="nickname" maxlength="32"></label>
<label>openid（可选，留空自动生成）<input type="text" name="openid" maxlength="64"></label>
<label><input type="checkbox" name="follow" value="1" checked> 关注公众号</label>
<button type="submit">新建并登录</button></form>`,
  );
}

/** The follower (Official Account user) the choice stands for, created or updated as asked. */
function chosenFollower(ctx: SandboxContext, store: SandboxStore, app: SandboxApp): OaUser {
  const person = queryParam(ctx, 'person');
  const follow = queryParam(ctx, 'follow') === '1';
  const register = (openid: string, extra: { unionid?: string; nickname?: string; subscribed?: boolean }) =>
    store.registerOaUser({ appid: app.appid, openid, ...extra });

  if (person.startsWith('oa:')) {
    const user = store.oaUser(app.appid, person.slice(3));
    if (!user) throw new AuthorizeError('没有这个用户');
    return follow && !user.subscribed ? register(user.openid, { subscribed: true }) : user;
  }
  if (person.startsWith('mp:')) {
    const [, mpAppid = '', mpOpenid = ''] = person.split(':');
    const mpUser = store.mpUser(mpAppid, mpOpenid);
    if (!mpUser) throw new AuthorizeError('没有这个小程序用户');
    // One person: the mini-program user and the follower share a unionid.
    mpUser.unionid ??= newUnionid();
    const follower = [...store.oaUsers.values()].find((user) => user.appid === app.appid && user.unionid === mpUser.unionid);
    if (follower) return follow && !follower.subscribed ? register(follower.openid, { subscribed: true }) : follower;
    return register(derivedOpenid(app.appid, mpUser.unionid), { unionid: mpUser.unionid, subscribed: follow });
  }
  if (person === 'new') {
    const wanted = queryParam(ctx, 'openid').trim();
    if (wanted !== '' && !OPENID_PATTERN.test(wanted)) throw new AuthorizeError('openid 只能包含字母、数字、- 和 _');
    const openid = wanted || `o${randomToken(20)}`;
    const existing = store.oaUser(app.appid, openid);
    const unionid = existing ? existing.unionid : newUnionid();
    const nickname = queryParam(ctx, 'nickname').trim().slice(0, 32);
    const user = register(openid, { ...(unionid ? { unionid } : {}), ...(nickname ? { nickname } : {}), subscribed: follow || Boolean(existing?.subscribed) });
    // The same person in the mini-program, so that logging in there later is the same unionid.
    if (unionid) {
      const mp = [...store.apps.values()].find((candidate) => candidate.kind === 'mp');
      if (mp) {
        const mpOpenid = derivedOpenid(mp.appid, unionid);
        // Minting a login code registers the mini-program user (the code itself is not needed).
        if (!store.mpUser(mp.appid, mpOpenid)) store.mintLoginCode({ appid: mp.appid, openid: mpOpenid, unionid });
      }
    }
    return user;
  }
  throw new AuthorizeError('请选择一个用户');
}

/** Authorize errors are pages (a browser is looking at them), as WeChat's are. */
const pageErrors: Middleware<SandboxCtxState> = async (ctx, next) => {
  try {
    await next();
  } catch (error) {
    if (!(error instanceof AuthorizeError)) throw error;
    html(ctx as SandboxContext, 400, '授权参数错误', `<h1>授权参数错误</h1><p id="error">${escapeHtml(error.message)}</p>`);
  }
};

export function registerOAuthRoutes(router: Router<SandboxCtxState>, store: SandboxStore): void {
  router.get('/connect/oauth2/authorize', pageErrors, async (ctx) => {
    pickerPage(ctx as SandboxContext, store, authorizeRequest(ctx as SandboxContext, store));
  });

  router.get('/connect/oauth2/authorize/choose', pageErrors, async (ctx) => {
    const request = authorizeRequest(ctx as SandboxContext, store);
    const user = chosenFollower(ctx as SandboxContext, store, request.app);
    const code = randomToken(24);
    const codes = codesOf(store);
    codes.set(code, {
      appid: request.app.appid,
      openid: user.openid,
      ...(user.unionid ? { unionid: user.unionid } : {}),
      scope: request.scope,
      expiresAt: store.now() + LOGIN_CODE_TTL_MS,
      used: false,
    });
    // Forget codes long dead so the map stays small.
    for (const [key, old] of codes) if (old.expiresAt < store.now() - 86_400_000) codes.delete(key);
    const target = new URL(request.redirectUri);
    target.searchParams.set('code', code);
    target.searchParams.set('state', request.state);
    ctx.status = 302;
    ctx.set('Location', target.toString());
    ctx.set('Cache-Control', 'no-store');
  });

  router.get(
    '/sns/oauth2/access_token',
    handle((ctx) => {
      const app = checkAppCredentials(store, queryParam(ctx, 'appid'), queryParam(ctx, 'secret'));
      ctx.state.sandboxApp = app;
      if (app.kind !== 'oa') throw wxError(40013);
      if (queryParam(ctx, 'grant_type') !== 'authorization_code') throw wxError(40002);
      const value = queryParam(ctx, 'code');
      if (value === '') throw wxError(41008);
      const code = codesOf(store).get(value);
      if (!code || code.appid !== app.appid || code.expiresAt <= store.now()) throw wxError(40029);
      if (code.used) return { errcode: 40163, errmsg: `code been used rid: ${rid()}` };
      code.used = true;
      return {
        access_token: randomToken(48),
        expires_in: 7200,
        refresh_token: randomToken(48),
        openid: code.openid,
        scope: code.scope,
        ...(code.unionid ? { unionid: code.unionid } : {}),
      };
    }),
  );
}
