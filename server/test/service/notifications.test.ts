// WeChat notifications, read back from the sandbox: template messages to the customer (dispatched,
// accepted, completed), subscribe messages to engineers (dispatched, transferred to). A customer
// WeChat will not deliver to does not undo or block the change.
import { describe, expect, it } from 'vitest';
import type { SentMessage } from '../../src/wechat/sandbox/index.js';
import { bindEngineerWeChat, createEngineer, createProduct, verifiedCustomerSession } from '../helpers/factories.js';
import { call, TEST_MP, type TestServer } from '../helpers/server.js';
import { eventually, feedbackInput, useServerWithCast, visitInput, type Cast } from './scenario.js';

let server: TestServer;
let cast: Cast;
useServerWithCast((started) => ({ server, cast } = started));

const sandbox = () => server.sandbox.sandbox;
const post = (path: string, token: string, body: unknown = {}) => call(server.url, `/api/v1${path}`, { token, body });

/** Values must respect WeChat's limits per key type. */
function expectWithinLimits(data: Record<string, { value: string }>) {
  for (const [key, { value }] of Object.entries(data)) {
    expect(value.length, key).toBeGreaterThan(0);
    if (key.startsWith('thing')) expect([...value].length, key).toBeLessThanOrEqual(20);
    if (key.startsWith('character_string')) expect(value.length, key).toBeLessThanOrEqual(32);
    if (key.startsWith('phrase')) expect([...value].length, key).toBeLessThanOrEqual(5);
    if (key.startsWith('time')) expect(value, key).toMatch(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$/);
  }
}

/** The engineer taps 允许 once (sandbox) and the mini-program reports it (API): one message allowed. */
async function consent(engineer: { mpOpenid: string; token: string }) {
  const templateId = server.config.wechat.templates.mpDispatch;
  await call(server.sandbox.url, '/mp/subscribe-consent', { body: { openid: engineer.mpOpenid, templateIds: [templateId] } });
  expect((await post('/me/subscriptions', engineer.token, { templateId, accepted: true })).status).toBe(200);
}

const templates = (openid: string) => sandbox().sent({ openid, kind: 'template' });
const waitForTemplates = (openid: string, count: number) => eventually(() => templates(openid), (sent) => sent.length >= count);
const payload = (message: SentMessage | undefined) => message?.payload as Record<string, any>;

describe('notifications', () => {
  it('tells the customer and the engineer at each step', async () => {
    const customer = await verifiedCustomerSession({ sandbox: sandbox() });
    const product = await createProduct(customer.customer!);
    const engineer = await createEngineer({ name: '孙工' });
    const engineerWeChat = await bindEngineerWeChat(engineer, sandbox());
    const colleague = await createEngineer({ name: '周工' });
    const colleagueWeChat = await bindEngineerWeChat(colleague, sandbox());
    await consent(engineerWeChat);
    await consent(colleagueWeChat);
    const requestedBy = new Date(Date.now() + 5 * 24 * 3600_000).toISOString();

    const submitted = await post('/feedbacks', customer.token, feedbackInput({ productArchiveId: String(product._id), requestedBy, description: '热水器不出热水，显示故障代码 E4，已经重启过两次了' }));
    const id = submitted.body.id as string;
    const dispatched = await post(`/feedbacks/${id}/dispatch`, cast.dispatcher.token, { engineerId: engineer.id });
    expect(dispatched.status).toBe(200);
    const orderId = dispatched.body.workOrder.id as string;

    const [first] = await waitForTemplates(customer.oaOpenid, 1);
    const message = payload(first);
    expect(message).toMatchObject({
      template_id: server.config.wechat.templates.serviceStatus,
      // The H5 fallback goes through web authorisation: the follower lands logged in as themselves.
      url: `http://localhost:${server.qiao.port}/api/v1/auth/oauth/start?redirect=${encodeURIComponent(`/h5/#/pages/feedback/detail?id=${id}`)}`,
      miniprogram: { appid: TEST_MP.appid, pagepath: `pages/feedback/detail?id=${id}` },
    });
    expect(message.data.character_string1.value).toBe(submitted.body.number);
    expect(message.data.phrase3.value).toBe('已派工');
    expect(message.data.thing4.value).toBe(`孙工 ${engineer.doc.phone}`);
    expectWithinLimits(message.data);

    const subscribe = await eventually(() => sandbox().sent({ openid: engineerWeChat.mpOpenid, kind: 'subscribe' }), (sent) => sent.length >= 1);
    expect(payload(subscribe[0])).toMatchObject({ template_id: server.config.wechat.templates.mpDispatch, page: `pages/engineer/order?id=${orderId}&feedbackId=${id}` });
    expect(payload(subscribe[0]).data.thing3.value).toBe(customer.customer!.name);
    expectWithinLimits(payload(subscribe[0]).data);

    expect((await post(`/work-orders/${orderId}/accept`, engineer.token)).status).toBe(200);
    await waitForTemplates(customer.oaOpenid, 2);
    expect((await post(`/work-orders/${orderId}/transfer`, engineer.token, { engineerId: colleague.id })).status).toBe(200);
    const toColleague = await eventually(() => sandbox().sent({ openid: colleagueWeChat.mpOpenid, kind: 'subscribe' }), (sent) => sent.length >= 1);
    // The 派工通知 template has WeChat's maximum of 5 keywords.
    expect(Object.keys(payload(toColleague[0]).data).sort()).toEqual(['character_string1', 'phone_number4', 'thing2', 'thing3', 'time5']);
    await post(`/work-orders/${orderId}/accept`, colleague.token);
    await post(`/work-orders/${orderId}/visits`, colleague.token, visitInput());
    expect((await post(`/work-orders/${orderId}/complete`, colleague.token)).status).toBe(200);

    const all = await waitForTemplates(customer.oaOpenid, 5);
    // Jobs run side by side: delivery order is not guaranteed.
    expect(all.map((m) => payload(m).data.phrase3.value).sort()).toEqual(['已派工', '已接单', '已转派', '已接单', '已完成'].sort());
    expect(payload(all.find((m) => payload(m).data.phrase3.value === '已完成')).data.thing4.value).toBe('服务已完成，欢迎评价');
  });

  it('a customer WeChat refuses (43004, not following) still gets the change, and it is not retried', async () => {
    const customer = await verifiedCustomerSession({ sandbox: sandbox(), follows: true, sandboxFollows: false });
    const submitted = await post('/feedbacks', customer.token, feedbackInput());
    const dispatched = await post(`/feedbacks/${submitted.body.id}/dispatch`, cast.dispatcher.token, { engineerId: cast.engineer.id });
    expect(dispatched.status).toBe(200);
    expect(dispatched.body.status).toBe('dispatched');
    const refusals = () => sandbox().calls().filter((c) => c.path === '/cgi-bin/message/template/send' && c.errcode === 43004);
    await eventually(refusals, (calls) => calls.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(refusals()).toHaveLength(1);
    expect(templates(customer.oaOpenid)).toHaveLength(0);
    // The request went on regardless.
    expect((await call(server.url, `/api/v1/feedbacks/${submitted.body.id}`, { token: customer.token })).body.status).toBe('dispatched');
  });

  it('customers who do not follow the Official Account are skipped without calling WeChat', async () => {
    const customer = await verifiedCustomerSession({ sandbox: sandbox(), follows: false });
    const before = sandbox().calls().filter((c) => c.path === '/cgi-bin/message/template/send').length;
    const submitted = await post('/feedbacks', customer.token, feedbackInput());
    expect((await post(`/feedbacks/${submitted.body.id}/complete`, cast.dispatcher.token, { note: '电话解答' })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(sandbox().calls().filter((c) => c.path === '/cgi-bin/message/template/send').length).toBe(before);
    expect(templates(customer.oaOpenid)).toHaveLength(0);
  });
});
