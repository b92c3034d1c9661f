// sns/oauth2/access_token: the web authorisation code → openid (and unionid). Called with the
// Official Account's appid and secret, no access token; errors come as WeChat's errcode JSON.
import type { WebAuthSource } from './web-auth.service.js';

export class WebAuthExchangeError extends Error {
  constructor(readonly errcode: number, errmsg: string) {
    super(`sns/oauth2/access_token ${errcode}: ${errmsg}`);
    this.name = 'WebAuthExchangeError';
  }
}

export function createWebAuthSource(
  apiBase: string,
  oa: { appid: string; secret: string },
  followers?: Pick<Required<WebAuthSource>, 'followerInfo'>,
  timeoutMs = 10_000,
): WebAuthSource {
  return {
    ...(followers ? { followerInfo: (openid: string) => followers.followerInfo(openid) } : {}),
    async exchangeCode(code) {
      const query = new URLSearchParams({ appid: oa.appid, secret: oa.secret, code, grant_type: 'authorization_code' });
      const response = await fetch(`${apiBase}/sns/oauth2/access_token?${query}`, { signal: AbortSignal.timeout(timeoutMs) });
      const body = (await response.json()) as { errcode?: number; errmsg?: string; openid?: unknown; unionid?: unknown };
      if (body.errcode) throw new WebAuthExchangeError(body.errcode, body.errmsg ?? '');
      if (typeof body.openid !== 'string' || body.openid === '') throw new WebAuthExchangeError(-1, 'no openid');
      return { openid: body.openid, ...(typeof body.unionid === 'string' && body.unionid ? { unionid: body.unionid } : {}) };
    },
  };
}
