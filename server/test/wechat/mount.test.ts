// The sandbox mounted inside another Koa app (as the Qiao server does) through middleware().
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryTokenStore, createOfficialAccountClient } from '../../src/wechat/api/index.js';
import { createSandbox, type Sandbox } from '../../src/wechat/sandbox/index.js';
import { http, MP, OA } from './helpers.js';

let server: Server;
let origin: string;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = createSandbox({ apps: [OA, MP] });
  const app = new Koa();
  // The host's own body parser runs first; the sandbox must still read its bodies.
  app.use(bodyParser({ enableTypes: ['json'] }));
  app.use(sandbox.middleware());
  app.use((ctx) => {
    ctx.body = { host: true, path: ctx.path };
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('sandbox.middleware()', () => {
  it('passes every path outside /sandbox on to the host app', async () => {
    for (const path of ['/healthz', '/sandboxed', '/api/v1/sandbox']) {
      const res = await fetch(origin + path);
      expect(await res.json()).toEqual({ host: true, path });
    }
  });

  it('answers WeChat APIs and control endpoints under /sandbox', async () => {
    const api = http(`${origin}/sandbox`);
    const token = await api.token(OA);
    const registered = await api.post('/oa/users', { openid: 'o-mounted', unionid: 'u-m' });
    expect(registered.body.user).toMatchObject({ openid: 'o-mounted', subscribed: true });
    const tag = await api.post('/cgi-bin/tags/create', { tag: { name: '挂载' } }, { access_token: token });
    expect(tag.body.tag).toMatchObject({ name: '挂载' });
    const info = await api.get('/cgi-bin/user/info', { openid: 'o-mounted', access_token: token });
    expect(info.body).toMatchObject({ subscribe: 1, unionid: 'u-m' });
  });

  it('serves the outbound client with WECHAT_API_BASE = <origin>/sandbox', async () => {
    sandbox.registerUser({ openid: 'o-client' });
    const client = createOfficialAccountClient({ baseUrl: `${origin}/sandbox/`, appid: OA.appid, secret: OA.secret, tokenStore: createMemoryTokenStore() });
    await client.sendTemplateMessage({ touser: 'o-client', template_id: 'qiao-service-overdue', data: {
      character_string1: { value: 'FW20261122001' },
      thing2: { value: '空调不制冷' },
      time3: { value: '2026-11-23 10:00' },
      thing4: { value: '我们正在加急处理' },
    } });
    expect(sandbox.sent('o-client')).toMatchObject([{ kind: 'template', appid: OA.appid }]);
  });
});
