// The sandbox refuses what WeChat refuses: template registry and keyword rules, subscribe consent,
// stable_token, follower paging, tag edits, mass send to openids, preview, the custom menu.
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/wechat/sandbox/index.js';
import { http, movableClock, MP, OA, useSandbox } from './helpers.js';

const clock = movableClock();
let running: RunningSandbox;
let api: ReturnType<typeof http>;
let oaToken: string;
let mpToken: string;

useSandbox({ now: clock.now, templates: [{ kind: 'oa', templateId: 'env-tpl-1', keywords: ['thing1', 'amount2'] }] }, (session) => {
  ({ running, api, oaToken, mpToken } = session);
});

const STATUS = {
  character_string1: { value: 'FW20261122001' },
  thing2: { value: '空调不制冷，外机有异响' },
  phrase3: { value: '已派单' },
  thing4: { value: '工程师李明将联系您' },
  time5: { value: '2026-11-22 14:30' },
};

const sendStatus = (data: Record<string, unknown>, templateId = 'qiao-service-status') =>
  api.post('/cgi-bin/message/template/send', { touser: 'o-r1', template_id: templateId, data }, { access_token: oaToken });

describe('template registry (contract 2)', () => {
  beforeEach(() => {
    running.sandbox.registerUser({ openid: 'o-r1' });
  });

  it('accepts values within their types and refuses an unknown template with 40037', async () => {
    expect((await sendStatus(STATUS)).body).toMatchObject({ errcode: 0, msgid: expect.any(Number) });
    expect((await sendStatus(STATUS, 'qiao-unknown')).body.errcode).toBe(40037);
    // A subscribe template of the mini-program is not a template of the Official Account.
    expect((await sendStatus(STATUS, 'qiao-mp-work-order')).body.errcode).toBe(40037);
  });

  it.each([
    ['a keyword not in the template', { ...STATUS, thing6: { value: '多余' } }],
    ['a missing keyword', { character_string1: STATUS.character_string1, thing2: STATUS.thing2, phrase3: STATUS.phrase3, thing4: STATUS.thing4 }],
    ['thing over 20 characters', { ...STATUS, thing2: { value: '空调不制冷外机有异响室内机漏水遥控器失灵需要上门' } }],
    ['phrase over 5 characters', { ...STATUS, phrase3: { value: '已派单待接单' } }],
    ['phrase not Chinese', { ...STATUS, phrase3: { value: 'OK' } }],
    ['character_string with Chinese', { ...STATUS, character_string1: { value: 'FW工单001' } }],
    ['character_string over 32', { ...STATUS, character_string1: { value: 'F'.repeat(33) } }],
    ['time that is not a date', { ...STATUS, time5: { value: '明天下午' } }],
    ['an emoji', { ...STATUS, thing4: { value: '工程师已出发🚗' } }],
    ['a flag emoji in mixed script', { ...STATUS, thing2: { value: 'Service 🇨🇳 上门' } }],
    ['a newline', { ...STATUS, thing4: { value: '工程师\n已出发' } }],
    ['an empty value', { ...STATUS, thing4: { value: '' } }],
    ['a value that is not a string', { ...STATUS, thing4: { value: 5 } }],
  ])('refuses %s with 47003', async (_case, data) => {
    expect((await sendStatus(data)).body.errcode).toBe(47003);
  });

  it('registers templates at start and through POST /sandbox/templates, and lists them like get_all_private_template', async () => {
    const amount = (value: string) => sendStatus({ thing1: { value: '保养套餐' }, amount2: { value } }, 'env-tpl-1');
    expect((await amount('199.00元')).body.errcode).toBe(0);
    expect((await amount('12345678901')).body.errcode).toBe(47003);

    const added = await api.post('/templates', { templateId: 'tpl-extra', keywords: ['name1', 'number2', 'phone_number3'], kind: 'oa' });
    expect(added.body).toMatchObject({ errcode: 0, template: { templateId: 'tpl-extra', appid: OA.appid } });
    const send = (data: Record<string, unknown>) => sendStatus(data, 'tpl-extra');
    expect((await send({ name1: { value: '王小明' }, number2: { value: '3' }, phone_number3: { value: '021-5555-0101' } })).body.errcode).toBe(0);
    expect((await send({ name1: { value: '欧阳娜娜娜娜娜娜娜娜' + '娜' }, number2: { value: '3' }, phone_number3: { value: '1' } })).body.errcode).toBe(47003);
    expect((await send({ name1: { value: '王' }, number2: { value: '三' }, phone_number3: { value: '1' } })).body.errcode).toBe(47003);
    expect((await send({ name1: { value: '王' }, number2: { value: '3' }, phone_number3: { value: '1'.repeat(18) } })).body.errcode).toBe(47003);

    expect((await api.post('/templates', { templateId: 'bad', keywords: ['first'], kind: 'oa' })).status).toBe(400);
    const six = ['thing1', 'thing2', 'thing3', 'thing4', 'thing5', 'thing6'];
    expect((await api.post('/templates', { templateId: 'mp-six', keywords: six, kind: 'mp' })).status).toBe(400);

    const list = await api.get('/cgi-bin/template/get_all_private_template', { access_token: oaToken });
    const ids = list.body.template_list.map((t: { template_id: string }) => t.template_id);
    expect(ids).toEqual(expect.arrayContaining(['qiao-service-status', 'qiao-staff-binding', 'env-tpl-1', 'tpl-extra']));
    expect(ids).not.toContain('qiao-mp-work-order');
  });
});

describe('subscribe consent (contract 1)', () => {
  const WORK_ORDER = {
    character_string1: { value: 'FW20261122001' },
    thing2: { value: '空调不制冷' },
    thing3: { value: '上海桥联科技有限公司' },
    phone_number4: { value: '13800138000' },
    time5: { value: '2026-11-23 10:00' },
  };
  const subscribe = (data: Record<string, unknown> = WORK_ORDER) =>
    api.post('/cgi-bin/message/subscribe/send', { touser: 'mp-eng', template_id: 'qiao-mp-work-order', data }, { access_token: mpToken });

  it('allows one send per consent, then answers 43101', async () => {
    await api.post('/mp/login-code', { openid: 'mp-eng' });
    expect((await subscribe()).body).toMatchObject({ errcode: 43101, errmsg: expect.stringMatching(/^user refuse to accept the msg rid: /) });
    expect((await api.post('/mp/subscribe-consent', { openid: 'mp-eng', templateIds: ['qiao-mp-work-order'] })).body).toEqual({
      errcode: 0,
      errmsg: 'ok',
      granted: { 'qiao-mp-work-order': 1 },
    });
    const second = await api.post('/mp/subscribe-consent', { openid: 'mp-eng', templateIds: ['qiao-mp-work-order'], appid: MP.appid });
    expect(second.body.granted).toEqual({ 'qiao-mp-work-order': 2 });
    // A refused message (bad data) spends nothing.
    expect((await subscribe({ ...WORK_ORDER, thing6: { value: '请尽快处理' } })).body.errcode).toBe(47003);
    expect((await subscribe()).body.errcode).toBe(0);
    expect((await subscribe()).body.errcode).toBe(0);
    expect((await subscribe()).body.errcode).toBe(43101);
    expect(running.sandbox.sent({ kind: 'subscribe' })).toHaveLength(2);
  });

  it('validates the consent input', async () => {
    expect((await api.post('/mp/subscribe-consent', { openid: 'mp-eng', templateIds: [] })).status).toBe(400);
    expect((await api.post('/mp/subscribe-consent', { templateIds: ['qiao-mp-work-order'] })).status).toBe(400);
    expect((await api.post('/mp/subscribe-consent', { openid: 'mp-eng', templateIds: ['nope'] })).body.errcode).toBe(40037);
  });
});

describe('stable_token', () => {
  const stable = (body: Record<string, unknown>) => api.post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: OA.appid, secret: OA.secret, ...body });

  it('gives every caller the same token; force_refresh retires it at once; cgi-bin/token grants do not touch it', async () => {
    const a = (await stable({})).body;
    const b = (await stable({ force_refresh: false })).body;
    expect(a).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    expect(b.access_token).toBe(a.access_token);
    await api.token(OA);
    await api.token(OA);
    expect((await api.get('/cgi-bin/getcallbackip', { access_token: a.access_token })).body.ip_list.length).toBeGreaterThan(0);

    const forced = (await stable({ force_refresh: true })).body;
    expect(forced.access_token).not.toBe(a.access_token);
    expect((await api.get('/cgi-bin/getcallbackip', { access_token: a.access_token })).body.errcode).toBe(40001);
    // Renewed in its last 5 minutes; the old one lives on until it expires.
    clock.advance(7200_000 - 4 * 60_000);
    const renewed = (await stable({})).body;
    expect(renewed.access_token).not.toBe(forced.access_token);
    expect((await api.get('/cgi-bin/getcallbackip', { access_token: forced.access_token })).body.ip_list).toBeDefined();
  });

  it('checks grant_type and credentials like cgi-bin/token', async () => {
    expect((await stable({ grant_type: 'password' })).body.errcode).toBe(40002);
    expect((await stable({ secret: 'wrong' })).body.errcode).toBe(40125);
    expect((await stable({ appid: '' })).body.errcode).toBe(41002);
    expect((await api.get('/cgi-bin/stable_token')).body.errcode).toBe(43002);
  });
});

describe('followers, tags, mass send, menu', () => {
  it('pages 10,000 followers per user/get call with next_openid', async () => {
    expect((await api.post('/oa/users/bulk', { count: 10_001, prefix: 'o-bulk-', unionidPrefix: 'u-bulk-' })).body).toEqual({ created: 10_001 });
    running.sandbox.registerUser({ openid: 'o-gone', subscribed: false });
    const first = (await api.get('/cgi-bin/user/get', { access_token: oaToken })).body;
    expect(first).toMatchObject({ total: 10_001, count: 10_000, next_openid: 'o-bulk-10000' });
    expect(first.data.openid[0]).toBe('o-bulk-1');
    const second = (await api.get('/cgi-bin/user/get', { access_token: oaToken, next_openid: first.next_openid })).body;
    expect(second).toEqual({ total: 10_001, count: 1, data: { openid: ['o-bulk-10001'] }, next_openid: 'o-bulk-10001' });
    const end = (await api.get('/cgi-bin/user/get', { access_token: oaToken, next_openid: second.next_openid })).body;
    expect(end).toEqual({ total: 10_001, count: 0, next_openid: '' });
    expect((await api.get('/cgi-bin/user/info', { access_token: oaToken, openid: 'o-bulk-7' })).body.unionid).toBe('u-bulk-7');
  });

  it('updates and deletes tags, never system tags', async () => {
    running.sandbox.registerUser({ openid: 'o-tagged' });
    const tag = (await api.post('/cgi-bin/tags/create', { tag: { name: '老客户' } }, { access_token: oaToken })).body.tag;
    await api.post('/cgi-bin/tags/members/batchtagging', { openid_list: ['o-tagged'], tagid: tag.id }, { access_token: oaToken });
    const post = (path: string, body: unknown) => api.post(path, body, { access_token: oaToken });
    expect((await post('/cgi-bin/tags/update', { tag: { id: tag.id, name: '重点客户' } })).body).toMatchObject({ errcode: 0 });
    expect((await post('/cgi-bin/tags/update', { tag: { id: 2, name: '星标' } })).body.errcode).toBe(45058);
    expect((await post('/cgi-bin/tags/update', { tag: { id: 999, name: 'x' } })).body.errcode).toBe(45159);
    expect((await post('/cgi-bin/tags/update', { tag: { id: tag.id, name: 'x'.repeat(31) } })).body.errcode).toBe(45158);
    expect((await post('/cgi-bin/tags/delete', { tag: { id: 2 } })).body.errcode).toBe(45058);
    expect((await post('/cgi-bin/tags/delete', { tag: { id: tag.id } })).body.errcode).toBe(0);
    expect(running.sandbox.user('o-tagged')?.tagIds).toEqual([]);
  });

  it('mass-sends to 2–10,000 openids (40130 otherwise) and previews to one follower', async () => {
    for (const openid of ['o-m1', 'o-m2', 'o-m3']) running.sandbox.registerUser({ openid });
    const post = (path: string, body: unknown) => api.post(path, body, { access_token: oaToken });
    const text = { msgtype: 'text', text: { content: '冬季保养活动开始了' } };
    expect((await post('/cgi-bin/message/mass/send', { touser: ['o-m1'], ...text })).body.errcode).toBe(40130);
    const many = Array.from({ length: 10_001 }, (_, i) => `o-x${i}`);
    expect((await post('/cgi-bin/message/mass/send', { touser: many, ...text })).body.errcode).toBe(40130);
    const sent = (await post('/cgi-bin/message/mass/send', { touser: ['o-m1', 'o-m2'], ...text, clientmsgid: 'winter-1' })).body;
    expect(sent).toEqual({ errcode: 0, errmsg: 'send job submission success', msg_id: expect.any(Number) });
    expect((await post('/cgi-bin/message/mass/send', { touser: ['o-m1', 'o-m2'], ...text, clientmsgid: 'winter-1' })).body).toMatchObject({ errcode: 45065, msg_id: sent.msg_id });
    expect((await post('/cgi-bin/message/mass/preview', { touser: 'o-m3', ...text })).body).toEqual({ errcode: 0, errmsg: 'preview success', msg_id: expect.any(Number) });
    expect(running.sandbox.sent({ kind: 'mass' }).map((m) => m.openid)).toEqual(['o-m1', 'o-m2', 'o-m3']);
  });

  it('refuses a customer-service news message with more than one article (45008)', async () => {
    running.sandbox.registerUser({ openid: 'o-news' });
    running.sandbox.recordInteraction('o-news', 'message');
    const article = { title: '保养指南', url: 'https://example.com/a' };
    const send = (articles: unknown[]) => api.post('/cgi-bin/message/custom/send', { touser: 'o-news', msgtype: 'news', news: { articles } }, { access_token: oaToken });
    expect((await send([article, article])).body.errcode).toBe(45008);
    expect((await send([article])).body.errcode).toBe(0);
  });

  it('keeps a custom menu within WeChat button rules', async () => {
    const create = (button: unknown) => api.post('/cgi-bin/menu/create', { button }, { access_token: oaToken });
    const click = (name: string) => ({ type: 'click', name, key: `K_${name}` });
    const sub = (n: number) => ({ name: '服务', sub_button: Array.from({ length: n }, (_, i) => click(`项目${i}`)) });
    expect((await api.get('/cgi-bin/menu/get', { access_token: oaToken })).body.errcode).toBe(46003);
    expect((await create([])).body.errcode).toBe(40016);
    expect((await create([click('一'), click('二'), click('三'), click('四')])).body.errcode).toBe(40016);
    expect((await create([{ type: 'tap', name: '报修', key: 'K' }])).body.errcode).toBe(40017);
    expect((await create([click('在线报修服务')])).body.errcode).toBe(40018);
    expect((await create([{ type: 'click', name: '报修' }])).body.errcode).toBe(40019);
    expect((await create([{ type: 'view', name: '报修', url: '' }])).body.errcode).toBe(40020);
    expect((await create([sub(6)])).body.errcode).toBe(40023);
    expect((await create([{ name: '服务', sub_button: [{ type: 'tap', name: '报修', key: 'K' }] }])).body.errcode).toBe(40024);
    expect((await create([{ name: '服务', sub_button: [click('这是一个非常非常非常非常非常非常长的二级菜单名称')] }])).body.errcode).toBe(40025);
    const menu = [
      click('报修'),
      { type: 'miniprogram', name: '小程序', url: 'https://qiao.example.com/h5/', appid: MP.appid, pagepath: 'pages/index/index' },
      sub(5),
    ];
    expect((await create(menu)).body).toMatchObject({ errcode: 0 });
    expect((await api.get('/cgi-bin/menu/get', { access_token: oaToken })).body.menu.button).toEqual(menu);
    expect((await api.get('/cgi-bin/get_current_selfmenu_info', { access_token: oaToken })).body).toMatchObject({ is_menu_open: 1 });
    expect((await api.get('/cgi-bin/menu/delete', { access_token: oaToken })).body.errcode).toBe(0);
    expect((await api.get('/cgi-bin/menu/get', { access_token: oaToken })).body.errcode).toBe(46003);
  });
});
