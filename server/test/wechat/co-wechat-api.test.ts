// An independent client, co-wechat-api, drives the sandbox through every WeChat call the product
// makes, and gets the same answers as our own clients: the sandbox speaks WeChat, not just "Qiao".
import WeChatAPI from 'co-wechat-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTokenStore, createMiniProgramClient, createOfficialAccountClient } from '../../src/wechat/api/index.js';
import { startSandbox, type RunningSandbox } from '../../src/wechat/sandbox/index.js';
import { MP, OA } from './helpers.js';

let running: RunningSandbox;

/** co-wechat-api pointed at the sandbox (it has no setEndpoint: its prefix fields are reassigned). */
function independent(appid: string, secret: string): WeChatAPI {
  const api = new WeChatAPI(appid, secret);
  api.prefix = `${running.url}/cgi-bin/`;
  api.snsPrefix = `${running.url}/sns/`;
  api.mpPrefix = `${running.url}/cgi-bin/`;
  api.customservicePrefix = `${running.url}/customservice/`;
  api.wxaPrefix = `${running.url}/wxa/`;
  return api;
}

const ours = () => ({
  oa: createOfficialAccountClient({ baseUrl: running.url, ...OA, tokenStore: createMemoryTokenStore() }),
  mp: createMiniProgramClient({ baseUrl: running.url, ...MP, tokenStore: createMemoryTokenStore() }),
});

/** The errcode a call failed with (co-wechat-api: `code`; ours: `errcode`). */
const errcodeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 0,
    (error: { code?: number; errcode?: number }) => error.errcode ?? error.code,
  );

const STATUS_DATA = {
  character_string1: { value: 'FW20261122001' },
  thing2: { value: '空调不制冷' },
  phrase3: { value: '已派单' },
  thing4: { value: '工程师李明将联系您' },
  time5: { value: '2026-11-22 14:30' },
};
const WORK_ORDER = {
  character_string1: { value: 'FW20261122001' },
  thing2: { value: '空调不制冷' },
  thing3: { value: '上海桥联科技' },
  phone_number4: { value: '13800138000' },
  time5: { value: '2026-11-23 10:00' },
};

beforeAll(async () => {
  running = await startSandbox({ apps: [OA, MP] });
});

afterAll(async () => {
  await running.close();
});

beforeEach(() => {
  running.sandbox.reset();
  for (const openid of ['o-a', 'o-b', 'o-c']) running.sandbox.registerUser({ openid, unionid: `u-${openid}` });
});

describe('co-wechat-api against the sandbox', () => {
  it('reads users, followers, templates and callback IPs as our client does', async () => {
    const co = independent(OA.appid, OA.secret);
    const { oa } = ours();
    expect(await co.getUser({ openid: 'o-a', lang: 'zh_CN' })).toEqual(await oa.getUserInfo('o-a'));
    expect((await co.batchGetUsers(['o-a', 'o-b'])).user_info_list).toEqual(await oa.batchGetUserInfo(['o-a', 'o-b']));
    expect(await co.getFollowers()).toEqual(await oa.getFollowers());
    expect((await co.getAllPrivateTemplate()).template_list).toEqual(await oa.getAllPrivateTemplates());
    expect((await co.getIp()).ip_list).toEqual(await oa.getCallbackIps());
    expect(await errcodeOf(co.getUser('o-nobody'))).toBe(await errcodeOf(oa.getUserInfo('o-nobody')));
  });

  it('sends template messages, and both are refused the same way', async () => {
    const co = independent(OA.appid, OA.secret);
    const { oa } = ours();
    const sent = await co.sendTemplate('o-a', 'qiao-service-status', 'https://qiao.example.com/h5/', undefined, STATUS_DATA);
    expect(sent).toMatchObject({ errcode: 0, errmsg: 'ok' });
    await oa.sendTemplateMessage({ touser: 'o-a', template_id: 'qiao-service-status', url: 'https://qiao.example.com/h5/', data: STATUS_DATA });
    const delivered = running.sandbox.sent({ openid: 'o-a', kind: 'template' }).map((m) => (m.payload as { data: unknown }).data);
    expect(delivered).toEqual([STATUS_DATA, STATUS_DATA]);
    const emoji = { ...STATUS_DATA, thing4: { value: '马上到🚗' } };
    expect(await errcodeOf(co.sendTemplate('o-a', 'qiao-service-status', undefined, undefined, emoji))).toBe(47003);
    expect(await errcodeOf(oa.sendTemplateMessage({ touser: 'o-a', template_id: 'qiao-service-status', data: emoji }))).toBe(47003);
    expect(await errcodeOf(co.sendTemplate('o-a', 'nope', undefined, undefined, STATUS_DATA))).toBe(40037);
  });

  it('sends customer-service messages inside the window only', async () => {
    const co = independent(OA.appid, OA.secret);
    const { oa } = ours();
    expect(await errcodeOf(co.sendText('o-b', '您好'))).toBe(45015);
    expect(await errcodeOf(oa.sendCustomMessage({ touser: 'o-b', msgtype: 'text', text: { content: '您好' } }))).toBe(45015);
    running.sandbox.recordInteraction('o-b', 'message');
    expect(await co.sendText('o-b', '您好')).toMatchObject({ errcode: 0 });
    await oa.sendCustomMessage({ touser: 'o-b', msgtype: 'text', text: { content: '您好' } });
    const article = { title: '保养指南', url: 'https://qiao.example.com/a' };
    expect(await errcodeOf(co.sendNews('o-b', [article, article]))).toBe(45008);
  });

  it('manages tags the same way', async () => {
    const co = independent(OA.appid, OA.secret);
    const { oa } = ours();
    const created = (await co.createTags('老客户')).tag;
    await co.batchTagging(['o-a', 'o-b'], created.id);
    expect(await co.getTags()).toEqual({ tags: await oa.getTags() });
    expect(await co.getUsersFromTag(created.id)).toEqual(await oa.getTagUsers(created.id));
    expect((await co.getIdList('o-a')).tagid_list).toEqual(await oa.getUserTags('o-a'));
    await co.batchUnTagging(['o-a'], created.id);
    expect(await oa.getAllTagUsers(created.id)).toEqual(['o-b']);
    await co.updateTag(created.id, '重点客户');
    expect((await oa.getTags()).find((t) => t.id === created.id)?.name).toBe('重点客户');
    expect(await errcodeOf(co.deleteTag(2))).toBe(await errcodeOf(oa.deleteTag(2)));
    await co.deleteTag(created.id);
    expect((await oa.getTags()).some((t) => t.id === created.id)).toBe(false);
  });

  it('mass-sends to openids and a tag, previews, and dedupes on clientmsgid', async () => {
    const co = independent(OA.appid, OA.secret);
    const { oa } = ours();
    const first = await co.massSendText('冬季保养', ['o-a', 'o-b'], 'winter-co');
    expect(first).toMatchObject({ errcode: 0, errmsg: 'send job submission success' });
    const again = await oa.massSendToOpenids(['o-a', 'o-b'], { msgtype: 'text', text: { content: '冬季保养' } }, { clientmsgid: 'winter-co' });
    expect(again).toEqual({ msg_id: String(first.msg_id), duplicate: true });
    expect(await errcodeOf(co.massSendText('冬季保养', ['o-a']))).toBe(40130);
    expect(await co.massSendText('全体', true, 'all-1')).toMatchObject({ errcode: 0 });
    expect(await co.previewText('o-c', '预览')).toMatchObject({ errcode: 0, errmsg: 'preview success' });
    expect(running.sandbox.sent({ kind: 'mass' })).toHaveLength(2 + 3 + 1);
  });

  it('creates, reads and removes the menu, refusing what WeChat refuses', async () => {
    const co = independent(OA.appid, OA.secret);
    const { oa } = ours();
    const menu = { button: [{ type: 'click', name: '报修', key: 'REPAIR' }, { type: 'view', name: '我的服务', url: 'https://qiao.example.com/h5/' }] };
    expect(await co.createMenu(menu)).toMatchObject({ errcode: 0 });
    expect((await co.getMenu()).menu).toEqual(await oa.getMenu());
    const tooMany = { button: [1, 2, 3, 4].map((n) => ({ type: 'click', name: `菜单${n}`, key: `K${n}` })) };
    expect(await errcodeOf(co.createMenu(tooMany))).toBe(40016);
    await co.removeMenu();
    expect(await oa.getMenu()).toBeNull();
  });

  it('creates QR codes and gets the JS-SDK ticket', async () => {
    const co = independent(OA.appid, OA.secret);
    const { oa } = ours();
    const temporary = await co.createTmpQRCode(123, 604800);
    expect(Object.keys(temporary).sort()).toEqual(['expire_seconds', 'ticket', 'url']);
    expect(Object.keys(await co.createLimitQRCode(7)).sort()).toEqual(['ticket', 'url']);
    expect((await co.getTicket('jsapi')).ticket).toBe((await oa.getJsapiTicket()).ticket);
  });

  it('logs in mini-program users and sends subscribe messages on consent only', async () => {
    const co = independent(MP.appid, MP.secret);
    const { mp } = ours();
    const codeA = running.sandbox.mintLoginCode({ openid: 'mp-e', unionid: 'u-e' });
    const codeB = running.sandbox.mintLoginCode({ openid: 'mp-e', unionid: 'u-e' });
    const theirs = await co.code2Session(codeA);
    const mine = await mp.code2Session(codeB);
    expect({ openid: theirs.openid, unionid: theirs.unionid }).toEqual({ openid: mine.openid, unionid: mine.unionid });
    expect(await errcodeOf(co.code2Session(codeB))).toBe(40163);
    expect(await errcodeOf(mp.code2Session(codeA))).toBe(40163);

    expect(await errcodeOf(co.sendSubscribeMessage('mp-e', 'qiao-mp-work-order', 'pages/index/index', WORK_ORDER))).toBe(43101);
    running.sandbox.grantConsent('mp-e', ['qiao-mp-work-order']);
    running.sandbox.grantConsent('mp-e', ['qiao-mp-work-order']);
    expect(await co.sendSubscribeMessage('mp-e', 'qiao-mp-work-order', 'pages/index/index', WORK_ORDER)).toMatchObject({ errcode: 0 });
    await mp.sendSubscribeMessage({ touser: 'mp-e', template_id: 'qiao-mp-work-order', page: 'pages/index/index', data: WORK_ORDER });
    expect(await errcodeOf(mp.sendSubscribeMessage({ touser: 'mp-e', template_id: 'qiao-mp-work-order', data: WORK_ORDER }))).toBe(43101);
    // A mini-program token on an Official Account API.
    expect(await errcodeOf(co.getUser('o-a'))).toBe(48001);
  });
});
