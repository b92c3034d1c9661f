// The custom menu: WeChat's rules checked before anything is sent (errors in Chinese), publishing
// through menu/create (the sandbox keeps what it got), and a default reply that names the menu
// only when a published one leads to self-service.
import { describe, expect, it } from 'vitest';
import { createStaffMember } from '../helpers/factories.js';
import { call, TEST_MP, TEST_OA, useTestServer, type TestServer } from '../helpers/server.js';
import { pushXml, textMessage } from '../helpers/oa.js';
import { webAuthLink } from '../../src/modules/identity/web-auth.service.js';

let server: TestServer;
let marketer: string;
let engineer: string;
useTestServer(async (started) => {
  server = started;
  marketer = (await createStaffMember('marketer', { department: null })).token;
  engineer = (await createStaffMember('engineer')).token;
});

const selfService = () => `http://localhost:${server.qiao.port}/h5/`;
const menu = () => ({
  buttons: [
    {
      name: '服务',
      subButtons: [
        { name: '自助服务', type: 'view', url: selfService() },
        { name: '小程序报修', type: 'miniprogram', url: selfService(), appid: TEST_MP.appid, pagepath: 'pages/feedback/new' },
      ],
    },
    { name: '热线', type: 'click', key: 'MENU_HOTLINE' },
  ],
});
const sandboxMenu = async () => (await call(server.sandbox.url, '/oa/menu')).body.menu;
const defaultReply = async (openid: string) =>
  (await pushXml(server.url, textMessage(openid, '随便说点什么'), { token: TEST_OA.token, appid: TEST_OA.appid })).reply?.Content ?? '';

describe('custom menu', () => {
  it('before any menu is published, the default reply gives the self-service link, not a menu', async () => {
    const reply = await defaultReply('oMenuUser0001');
    // The link goes through the web authorisation, so the follower lands logged in as themselves.
    expect(reply).toContain(`<a href="${webAuthLink(`http://localhost:${server.qiao.port}`)}">进入自助服务</a>`);
    expect(reply).not.toContain('菜单');
  });

  it("refuses what WeChat would refuse, in Chinese, before calling WeChat", async () => {
    const put = (body: unknown) => call(server.url, '/api/v1/oa/menu', { method: 'PUT', token: marketer, body });
    const tooMany = await put({ buttons: [1, 2, 3, 4].map((n) => ({ name: `菜单${n}`, type: 'click', key: `K${n}` })) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details.buttons).toBe('一级菜单最多 3 个');
    const longName = await put({ buttons: [{ name: '自助服务中心', type: 'click', key: 'K' }] });
    expect(longName.body.error.details['buttons.0.name']).toBe('一级菜单名称最多 16 个字节（4 个汉字）');
    const noKey = await put({ buttons: [{ name: '热线', type: 'click' }] });
    expect(noKey.body.error.details['buttons.0.key']).toBe('菜单“热线”请填写关键词');
    const subs = await put({ buttons: [{ name: '服务', subButtons: [1, 2, 3, 4, 5, 6].map((n) => ({ name: `子${n}`, type: 'click', key: `S${n}` })) }] });
    expect(subs.body.error.details['buttons.0.subButtons']).toBe('每个一级菜单最多 5 个子菜单');
    const badUrl = await put({ buttons: [{ name: '官网', type: 'view', url: 'www.example.com' }] });
    expect(badUrl.body.error.details['buttons.0.url']).toBe('菜单“官网”的网页链接须以 http:// 或 https:// 开头');
    const noPage = await put({ buttons: [{ name: '报修', type: 'miniprogram', url: 'https://example.com', appid: TEST_MP.appid }] });
    expect(noPage.body.error.details['buttons.0.pagepath']).toBe('菜单“报修”请填写小程序页面路径');
    const publish = await call(server.url, '/api/v1/oa/menu/publish', { token: marketer, body: { buttons: [] } });
    expect(publish.body.error.details.buttons).toBe('请至少添加一个菜单');
    expect(await sandboxMenu()).toBeNull();
  });

  it('saves a draft without publishing; only marketers and managers may', async () => {
    expect((await call(server.url, '/api/v1/oa/menu', { method: 'PUT', token: engineer, body: menu() })).status).toBe(403);
    const saved = await call(server.url, '/api/v1/oa/menu', { method: 'PUT', token: marketer, body: menu() });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ draft: { buttons: [{ name: '服务' }, { name: '热线' }] }, published: null, publishedAt: null });
    expect(await sandboxMenu()).toBeNull();
  });

  it('publishes through menu/create in WeChat format; the default reply then names the menu entry', async () => {
    const published = await call(server.url, '/api/v1/oa/menu/publish', { token: marketer, body: menu() });
    expect(published.status).toBe(200);
    expect(published.body.published.buttons).toHaveLength(2);
    expect(published.body.publishedAt).toEqual(expect.any(String));
    expect(await sandboxMenu()).toMatchObject({
      button: [
        {
          name: '服务',
          sub_button: [
            { type: 'view', name: '自助服务', url: selfService() },
            { type: 'miniprogram', name: '小程序报修', url: selfService(), appid: TEST_MP.appid, pagepath: 'pages/feedback/new' },
          ],
        },
        { type: 'click', name: '热线', key: 'MENU_HOTLINE' },
      ],
    });
    expect(await defaultReply('oMenuUser0002')).toContain('请点击菜单“服务 › 自助服务”');
  });

  it('a published menu without a self-service entry: the default reply keeps the link', async () => {
    const only = { buttons: [{ name: '热线', type: 'click', key: 'MENU_HOTLINE' }] };
    expect((await call(server.url, '/api/v1/oa/menu/publish', { token: marketer, body: only })).status).toBe(200);
    const reply = await defaultReply('oMenuUser0003');
    expect(reply).toContain('进入自助服务</a>');
    expect(reply).not.toContain('菜单');
  });
});
