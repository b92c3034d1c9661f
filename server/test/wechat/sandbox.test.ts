// The WeChat sandbox over real HTTP, in WeChat's formats: started alone with startSandbox().
import { describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/wechat/sandbox/index.js';
import { http, movableClock, MP, OA, useSandbox } from './helpers.js';

const clock = movableClock();
let running: RunningSandbox;
let api: ReturnType<typeof http>;
let oaToken: string;
let mpToken: string;

useSandbox({ now: clock.now }, (session) => {
  ({ running, api, oaToken, mpToken } = session);
});

const follow = (openid: string, extra: Record<string, unknown> = {}) => api.post('/oa/users', { openid, ...extra });

describe('startSandbox', () => {
  it('listens on a loopback port and answers under /sandbox with JSON', async () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sandbox$/);
    const res = await api.get('/cgi-bin/token', { grant_type: 'client_credential', appid: OA.appid, secret: OA.secret });
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/json/);
    expect(res.body).toEqual({ access_token: expect.any(String), expires_in: 7200 });
  });
});

describe('GET /cgi-bin/token', () => {
  const grant = (query: Record<string, string>) => api.get('/cgi-bin/token', { grant_type: 'client_credential', ...query });

  it('refuses an unknown appid with 40013 and a wrong secret with 40125', async () => {
    const unknown = await grant({ appid: 'wxnobody', secret: OA.secret });
    expect(unknown.status).toBe(200);
    expect(unknown.body.errcode).toBe(40013);
    expect(unknown.body.errmsg).toMatch(/^invalid appid rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    const wrong = await grant({ appid: OA.appid, secret: 'not-it' });
    expect(wrong.body).toMatchObject({ errcode: 40125, errmsg: expect.stringMatching(/^invalid appsecret/) });
  });

  it('refuses a bad grant_type with 40002 and counts grants', async () => {
    const res = await api.get('/cgi-bin/token', { grant_type: 'password', appid: OA.appid, secret: OA.secret });
    expect(res.body.errcode).toBe(40002);
    expect(running.sandbox.tokenGrants(OA.appid)).toBe(1);
    const calls = await api.get('/calls');
    expect(calls.body.tokenGrants).toEqual({ [OA.appid]: 1, [MP.appid]: 1 });
  });

  it('keeps the previous token valid for 5 minutes after a new grant, then 40001', async () => {
    const newer = await api.token(OA);
    expect(newer).not.toBe(oaToken);
    expect((await api.get('/cgi-bin/tags/get', { access_token: oaToken })).body.tags).toBeDefined();
    clock.advance(5 * 60_000 + 1);
    expect((await api.get('/cgi-bin/tags/get', { access_token: oaToken })).body.errcode).toBe(40001);
    expect((await api.get('/cgi-bin/tags/get', { access_token: newer })).body.tags).toBeDefined();
  });
});

describe('access tokens on API calls', () => {
  it('answers 41001 without a token, 40001 for an unknown one', async () => {
    expect((await api.get('/cgi-bin/user/info', { openid: 'o1' })).body.errcode).toBe(41001);
    const unknown = await api.get('/cgi-bin/user/info', { openid: 'o1', access_token: 'forged' });
    expect(unknown.body.errcode).toBe(40001);
    expect(unknown.body.errmsg).toMatch(/^invalid credential, access_token is invalid or not latest rid: /);
  });

  it('answers 42001 after two hours and after expire, 40001 after invalidate', async () => {
    await follow('o1');
    const info = { openid: 'o1', access_token: oaToken };
    expect((await api.get('/cgi-bin/user/info', info)).body.subscribe).toBe(1);
    clock.advance(7200 * 1000);
    expect((await api.get('/cgi-bin/user/info', info)).body.errcode).toBe(42001);

    const second = await api.token(OA);
    await api.post('/tokens/expire', { appid: OA.appid });
    expect((await api.get('/cgi-bin/user/info', { ...info, access_token: second })).body.errcode).toBe(42001);

    const third = await api.token(OA);
    await api.post('/tokens/invalidate', { appid: OA.appid });
    expect((await api.get('/cgi-bin/user/info', { ...info, access_token: third })).body.errcode).toBe(40001);
  });

  it('refuses a mini-program token on Official Account APIs with 48001', async () => {
    const res = await api.get('/cgi-bin/tags/get', { access_token: mpToken });
    expect(res.body).toMatchObject({ errcode: 48001, errmsg: expect.stringMatching(/^api unauthorized/) });
  });
});

describe('user info', () => {
  it('answers WeChat fields for a follower and subscribe 0 for one who left', async () => {
    await follow('o-fan', { unionid: 'u-fan', nickname: '小王', qrScene: 42 });
    const fan = await api.get('/cgi-bin/user/info', { openid: 'o-fan', lang: 'zh_CN', access_token: oaToken });
    expect(fan.body).toEqual({
      subscribe: 1,
      openid: 'o-fan',
      language: 'zh_CN',
      subscribe_time: Math.floor(clock.now() / 1000),
      unionid: 'u-fan',
      remark: '',
      groupid: 0,
      tagid_list: [],
      subscribe_scene: 'ADD_SCENE_QR_CODE',
      qr_scene: 42,
      qr_scene_str: '',
    });
    await follow('o-fan', { subscribed: false });
    const gone = await api.get('/cgi-bin/user/info', { openid: 'o-fan', access_token: oaToken });
    expect(gone.body).toEqual({ subscribe: 0, openid: 'o-fan', unionid: 'u-fan' });
    expect((await api.get('/cgi-bin/user/info', { openid: 'o-nobody', access_token: oaToken })).body.errcode).toBe(40003);
  });

  it('batch-gets up to 100 users', async () => {
    await follow('o-a');
    await follow('o-b');
    const res = await api.post('/cgi-bin/user/info/batchget', { user_list: [{ openid: 'o-a' }, { openid: 'o-b', lang: 'en' }] }, { access_token: oaToken });
    expect(res.body.user_info_list.map((u: { openid: string }) => u.openid)).toEqual(['o-a', 'o-b']);
    const tooMany = Array.from({ length: 101 }, () => ({ openid: 'o-a' }));
    const over = await api.post('/cgi-bin/user/info/batchget', { user_list: tooMany }, { access_token: oaToken });
    expect(over.body.errcode).toBe(40032);
  });
});

/** Valid values for the seeded template qiao-warranty-expiring (thing1, character_string2, time3, thing4). */
const WARRANTY = {
  thing1: { value: '格力KFR-35GW' },
  character_string2: { value: 'SN-2024-000123' },
  time3: { value: '2026-12-31' },
  thing4: { value: '保修即将到期，如需保养请在线预约' },
};

describe('template messages', () => {
  const template = (touser: string, extra: Record<string, unknown> = {}) =>
    api.post(
      '/cgi-bin/message/template/send',
      { touser, template_id: 'qiao-warranty-expiring', url: 'https://example.com/x', data: WARRANTY, ...extra },
      { access_token: oaToken },
    );

  it('sends to a follower, records it per openid, refuses an unfollowed user with 43004', async () => {
    await follow('o-t1');
    await follow('o-t2');
    await follow('o-left', { subscribed: false });
    const sent = await template('o-t1');
    expect(sent.body).toEqual({ errcode: 0, errmsg: 'ok', msgid: expect.any(Number) });
    await template('o-t2');
    expect((await template('o-left')).body.errcode).toBe(43004);
    expect((await template('o-nobody')).body.errcode).toBe(40003);

    const listed = await api.get('/messages', { openid: 'o-t1' });
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({
      kind: 'template',
      appid: OA.appid,
      openid: 'o-t1',
      msgid: sent.body.msgid,
      payload: { template_id: 'qiao-warranty-expiring', data: WARRANTY },
    });
    expect(running.sandbox.sent()).toHaveLength(2);
  });

  it('dedupes on client_msg_id for 10 minutes', async () => {
    await follow('o-t1');
    const first = await template('o-t1', { client_msg_id: 'job-1' });
    const again = await template('o-t1', { client_msg_id: 'job-1' });
    expect(again.body.msgid).toBe(first.body.msgid);
    expect(running.sandbox.sent('o-t1')).toHaveLength(1);
    clock.advance(10 * 60_000);
    oaToken = await api.token(OA);
    expect((await template('o-t1', { client_msg_id: 'job-1' })).body.msgid).not.toBe(first.body.msgid);
  });

  it('rejects a template without template_id (40037) or with malformed data (47003)', async () => {
    await follow('o-t1');
    expect((await template('o-t1', { template_id: '' })).body.errcode).toBe(40037);
    expect((await template('o-t1', { data: { first: '您好' } })).body.errcode).toBe(47003);
  });
});

describe('customer-service messages', () => {
  const custom = (touser: string, content = '你好') =>
    api.post('/cgi-bin/message/custom/send', { touser, msgtype: 'text', text: { content } }, { access_token: oaToken });

  it('refuses outside the window with 45015', async () => {
    await follow('o-c');
    const res = await custom('o-c');
    expect(res.body.errcode).toBe(45015);
    expect(res.body.errmsg).toMatch(/^response out of time limit or subscription is canceled/);
  });

  it('allows 5 messages within 48 h of a user message, then 45047', async () => {
    await follow('o-c');
    await api.post('/oa/interactions', { openid: 'o-c', kind: 'message' });
    for (let i = 0; i < 5; i += 1) expect((await custom('o-c', `第${i}条`)).body).toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await custom('o-c')).body.errcode).toBe(45047);
    expect(running.sandbox.sent({ openid: 'o-c', kind: 'custom' })).toHaveLength(5);
  });

  it('closes the message window after 48 h and the event window (3 messages) after 1 min', async () => {
    await follow('o-c');
    await api.post('/oa/interactions', { openid: 'o-c', kind: 'message' });
    clock.advance(48 * 3600_000);
    oaToken = await api.token(OA);
    expect((await custom('o-c')).body.errcode).toBe(45015);

    await api.post('/oa/interactions', { openid: 'o-c', kind: 'event' });
    for (let i = 0; i < 3; i += 1) expect((await custom('o-c')).body.errcode).toBe(0);
    expect((await custom('o-c')).body.errcode).toBe(45047);
    clock.advance(60_000);
    expect((await custom('o-c')).body.errcode).toBe(45015);
  });

  it('refuses an unfollowed user with 45015 and an empty text with 44004', async () => {
    await follow('o-c');
    await api.post('/oa/interactions', { openid: 'o-c', kind: 'message' });
    expect((await custom('o-c', '')).body.errcode).toBe(44004);
    await follow('o-c', { subscribed: false });
    expect((await custom('o-c')).body.errcode).toBe(45015);
  });
});

describe('tags and mass send', () => {
  it('creates tags, refuses a duplicate name with 45157, tags and lists members', async () => {
    const created = await api.post('/cgi-bin/tags/create', { tag: { name: '广州客户' } }, { access_token: oaToken });
    expect(created.body).toEqual({ tag: { id: 100, name: '广州客户' } });
    const dup = await api.post('/cgi-bin/tags/create', { tag: { name: '广州客户' } }, { access_token: oaToken });
    expect(dup.body.errcode).toBe(45157);

    for (const openid of ['o-1', 'o-2', 'o-3']) await follow(openid);
    const tagging = await api.post('/cgi-bin/tags/members/batchtagging', { openid_list: ['o-1', 'o-2', 'o-3'], tagid: 100 }, { access_token: oaToken });
    expect(tagging.body).toEqual({ errcode: 0, errmsg: 'ok' });
    await api.post('/cgi-bin/tags/members/batchuntagging', { openid_list: ['o-3'], tagid: 100 }, { access_token: oaToken });

    const members = await api.post('/cgi-bin/user/tag/get', { tagid: 100, next_openid: '' }, { access_token: oaToken });
    expect(members.body).toEqual({ count: 2, data: { openid: ['o-1', 'o-2'] }, next_openid: '' });
    const ids = await api.post('/cgi-bin/tags/getidlist', { openid: 'o-1' }, { access_token: oaToken });
    expect(ids.body).toEqual({ tagid_list: [100] });
    const tags = await api.get('/cgi-bin/tags/get', { access_token: oaToken });
    expect(tags.body.tags).toContainEqual({ id: 100, name: '广州客户', count: 2 });
    const badTag = await api.post('/cgi-bin/tags/members/batchtagging', { openid_list: ['o-1'], tagid: 999 }, { access_token: oaToken });
    expect(badTag.body.errcode).toBe(45159);
  });

  it('mass-sends to the subscribed members of a tag and dedupes on clientmsgid (45065)', async () => {
    const tag = (await api.post('/cgi-bin/tags/create', { tag: { name: '活动' } }, { access_token: oaToken })).body.tag;
    for (const openid of ['m-1', 'm-2', 'm-3', 'm-out']) await follow(openid);
    await api.post('/cgi-bin/tags/members/batchtagging', { openid_list: ['m-1', 'm-2', 'm-3'], tagid: tag.id }, { access_token: oaToken });
    await follow('m-3', { subscribed: false });

    const body = { filter: { is_to_all: false, tag_id: tag.id }, msgtype: 'text', text: { content: '春季活动' }, clientmsgid: 'spring-1' };
    const sent = await api.post('/cgi-bin/message/mass/sendall', body, { access_token: oaToken });
    expect(sent.body).toEqual({ errcode: 0, errmsg: 'send job submission success', msg_id: expect.any(Number) });
    const mass = running.sandbox.sent({ kind: 'mass' });
    expect(mass.map((m) => m.openid).sort()).toEqual(['m-1', 'm-2']);
    expect(mass[0]).toMatchObject({ msgid: sent.body.msg_id, payload: { msgtype: 'text', text: { content: '春季活动' } } });

    const again = await api.post('/cgi-bin/message/mass/sendall', body, { access_token: oaToken });
    expect(again.body).toMatchObject({ errcode: 45065, msg_id: sent.body.msg_id });
    expect(again.body.errmsg).toMatch(/^clientmsgid exist/);
    expect(running.sandbox.sent({ kind: 'mass' })).toHaveLength(2);

    const unknownTag = await api.post('/cgi-bin/message/mass/sendall', { ...body, clientmsgid: 'x', filter: { tag_id: 12345 } }, { access_token: oaToken });
    expect(unknownTag.body.errcode).toBe(40152);
  });

  it('delivers at most 4 mass messages per follower per month', async () => {
    await follow('m-1');
    for (let i = 0; i < 5; i += 1) {
      const res = await api.post(
        '/cgi-bin/message/mass/sendall',
        { filter: { is_to_all: true }, msgtype: 'text', text: { content: `第${i}期` } },
        { access_token: oaToken },
      );
      expect(res.body.errcode).toBe(0);
    }
    expect(running.sandbox.sent({ openid: 'm-1', kind: 'mass' })).toHaveLength(4);
  });
});

describe('QR codes', () => {
  const create = (body: unknown) => api.post('/cgi-bin/qrcode/create', body, { access_token: oaToken });

  it('creates temporary and permanent codes', async () => {
    const temp = await create({ expire_seconds: 604800, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: 'campaign-7' } } });
    expect(temp.body).toEqual({ ticket: expect.any(String), expire_seconds: 604800, url: expect.stringMatching(/^http:\/\/weixin\.qq\.com\/q\//) });
    const perm = await create({ action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 100000 } } });
    expect(perm.body).toEqual({ ticket: expect.any(String), url: expect.any(String) });
    expect(running.sandbox.qrCode(temp.body.ticket)).toMatchObject({ scene_str: 'campaign-7' });

    const image = await fetch(`${running.url}/cgi-bin/showqrcode?ticket=${encodeURIComponent(perm.body.ticket)}`);
    expect(image.headers.get('content-type')).toBe('image/png');
  });

  it('validates action, scene and expiry with WeChat codes', async () => {
    expect((await create({ action_name: 'QR_FOREVER', action_info: { scene: { scene_id: 1 } } })).body.errcode).toBe(40052);
    expect((await create({ action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 100001 } } })).body.errcode).toBe(40053);
    expect((await create({ action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 0 } } })).body.errcode).toBe(40053);
    expect((await create({ action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: 'x'.repeat(65) } } })).body.errcode).toBe(40053);
    expect((await create({ action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: '' } } })).body.errcode).toBe(40053);
    expect((await create({ action_name: 'QR_SCENE', action_info: {} })).body.errcode).toBe(40053);
    const tooLong = await create({ expire_seconds: 2592001, action_name: 'QR_SCENE', action_info: { scene: { scene_id: 5 } } });
    expect(tooLong.body.errcode).toBe(40097);
    const longest = await create({ expire_seconds: 2592000, action_name: 'QR_SCENE', action_info: { scene: { scene_id: 5 } } });
    expect(longest.body.expire_seconds).toBe(2592000);
  });
});

describe('JS-SDK ticket', () => {
  it('answers the same ticket while it is valid', async () => {
    const first = await api.get('/cgi-bin/ticket/getticket', { type: 'jsapi', access_token: oaToken });
    expect(first.body).toEqual({ errcode: 0, errmsg: 'ok', ticket: expect.any(String), expires_in: 7200 });
    const second = await api.get('/cgi-bin/ticket/getticket', { type: 'jsapi', access_token: oaToken });
    expect(second.body.ticket).toBe(first.body.ticket);
  });
});

describe('mini-program', () => {
  const session = (code: string, app = MP) =>
    api.get('/sns/jscode2session', { appid: app.appid, secret: app.secret, js_code: code, grant_type: 'authorization_code' });

  it('exchanges a minted login code once; reuse answers 40163, unknown codes 40029', async () => {
    const minted = await api.post('/mp/login-code', { openid: 'mp-user-1', unionid: 'u-1' });
    expect(minted.status).toBe(200);
    const first = await session(minted.body.code);
    expect(first.body).toEqual({ session_key: expect.any(String), openid: 'mp-user-1', unionid: 'u-1' });
    expect((await session(minted.body.code)).body).toMatchObject({ errcode: 40163, errmsg: expect.stringMatching(/^code been used/) });
    expect((await session('never-minted')).body).toMatchObject({ errcode: 40029, errmsg: expect.stringMatching(/^invalid code/) });
    expect((await session('never-minted')).body.errcode).toBe(40029);
  });

  it('expires codes after 5 minutes and checks appid and secret', async () => {
    const { code } = (await api.post('/mp/login-code', { openid: 'mp-user-2' })).body;
    expect((await session(code, { ...MP, secret: 'wrong' })).body.errcode).toBe(40125);
    expect((await session(code, { ...MP, appid: 'wxnobody' })).body.errcode).toBe(40013);
    clock.advance(5 * 60_000);
    expect((await session(code)).body.errcode).toBe(40029);
  });

  it('validates the login-code control input', async () => {
    const res = await api.post('/mp/login-code', { unionid: 'u' });
    expect(res.status).toBe(400);
    expect(res.body.errcode).toBe(47001);
  });

  it('sends subscribe messages to users who logged in and consented, 40003 for others', async () => {
    await api.post('/mp/login-code', { openid: 'mp-user-3' });
    await api.post('/mp/subscribe-consent', { openid: 'mp-user-3', templateIds: ['qiao-mp-work-order'] });
    const data = {
      character_string1: { value: 'FW20261122001' },
      thing2: { value: '空调不制冷' },
      thing3: { value: '上海桥联科技' },
      phone_number4: { value: '+86-13800138000' },
      time5: { value: '2026-11-23 10:00' },
    };
    const message = { touser: 'mp-user-3', template_id: 'qiao-mp-work-order', page: 'pages/index/index', data };
    const sent = await api.post('/cgi-bin/message/subscribe/send', message, { access_token: mpToken });
    expect(sent.body).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(running.sandbox.sent({ openid: 'mp-user-3', kind: 'subscribe' })[0]).toMatchObject({ appid: MP.appid, payload: message });
    const unknown = await api.post('/cgi-bin/message/subscribe/send', { ...message, touser: 'mp-nobody' }, { access_token: mpToken });
    expect(unknown.body.errcode).toBe(40003);
    const withOaToken = await api.post('/cgi-bin/message/subscribe/send', message, { access_token: oaToken });
    expect(withOaToken.body.errcode).toBe(48001);
  });
});

describe('control endpoints and plumbing', () => {
  it('lists messages filtered by openid and kind, newest last, and clears them', async () => {
    await follow('o-x');
    await api.post('/oa/interactions', { openid: 'o-x', kind: 'message' });
    await api.post('/cgi-bin/message/template/send', { touser: 'o-x', template_id: 'qiao-warranty-expiring', data: WARRANTY }, { access_token: oaToken });
    await api.post('/cgi-bin/message/custom/send', { touser: 'o-x', msgtype: 'text', text: { content: 'hi' } }, { access_token: oaToken });
    const all = (await api.get('/messages', { openid: 'o-x' })).body.items;
    expect(all.map((m: { kind: string }) => m.kind)).toEqual(['template', 'custom']);
    expect((await api.get('/messages', { kind: 'custom' })).body.items).toHaveLength(1);
    expect((await api.get('/messages', { kind: 'fax' })).status).toBe(400);
    expect((await api.delete('/messages')).body).toEqual({ cleared: 2 });
    expect((await api.get('/messages')).body.items).toEqual([]);
  });

  it('answers 47001 for a body that is not JSON and 43002 for GET on a POST API', async () => {
    const broken = await api.post('/cgi-bin/tags/create', '{"tag":', { access_token: oaToken });
    expect(broken.body.errcode).toBe(47001);
    const wrongMethod = await api.get('/cgi-bin/message/template/send', { access_token: oaToken });
    expect(wrongMethod.body.errcode).toBe(43002);
    const nowhere = await api.get('/cgi-bin/nothing-here');
    expect(nowhere.status).toBe(404);
    expect(nowhere.contentType).toMatch(/^application\/json/);
  });

  it('refuses an interaction of an unknown follower with 404', async () => {
    const res = await api.post('/oa/interactions', { openid: 'o-ghost', kind: 'message' });
    expect(res.status).toBe(404);
    expect(res.body.errcode).toBe(40003);
  });

  it('lists followers and refuses an unknown appid with 40013', async () => {
    await follow('o-list-1', { scene: 'ADD_SCENE_SEARCH' });
    const list = await api.get('/oa/users');
    expect(list.body.items).toMatchObject([{ openid: 'o-list-1', scene: 'ADD_SCENE_SEARCH', subscribed: true }]);
    const unknownApp = await follow('o-list-2', { appid: 'wxnobody' });
    expect(unknownApp.status).toBe(400);
    expect(unknownApp.body.errcode).toBe(40013);
    const badScene = await follow('o-list-3', { scene: 'ADD_SCENE_MAGIC' });
    expect(badScene.status).toBe(400);
  });
});
