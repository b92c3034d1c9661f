// Engineers' subscribe-message consent: each 允许 allows one message; a send spends one (once, even
// when its job is retried); without one the notice goes out as an Official Account template
// message to a follower, or the work order is marked 未收到通知 for the dispatcher.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { sendSubscribeNotice, type SubscribeNotice } from '../../src/modules/notifications/notification.jobs.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { createMemoryTokenStore, createMiniProgramClient, createOfficialAccountClient, WeChatNetworkError } from '../../src/wechat/api/index.js';
import type { SentMessage } from '../../src/wechat/sandbox/index.js';
import { bindEngineerWeChat, createEngineer, verifiedCustomerSession } from '../helpers/factories.js';
import { call, TEST_MP, TEST_OA, type TestServer } from '../helpers/server.js';
import { eventually, feedbackInput, useServerWithCast, type Cast } from './scenario.js';

let server: TestServer;
let cast: Cast;
useServerWithCast((started) => ({ server, cast } = started));

const sandbox = () => server.sandbox.sandbox;
const api = (path: string, token: string, body?: unknown) => call(server.url, `/api/v1${path}`, body === undefined ? { token } : { token, body });
const dispatchTemplate = () => server.config.wechat.templates.mpDispatch;
const payload = (message: SentMessage | undefined) => message?.payload as Record<string, any>;

/** The engineer taps 允许 (the sandbox's WeChat) and the mini-program reports it (our API). */
async function consent(engineer: { mpOpenid: string; token: string }) {
  const granted = await call(server.sandbox.url, '/mp/subscribe-consent', { body: { openid: engineer.mpOpenid, templateIds: [dispatchTemplate()] } });
  expect(granted.body).toMatchObject({ errcode: 0 });
  const recorded = await api('/me/subscriptions', engineer.token, { templateId: dispatchTemplate(), accepted: true });
  expect(recorded.status).toBe(200);
  return recorded.body as { remaining: number };
}

const remaining = async (token: string) => ((await api('/me/subscriptions', token)).body.items as Array<{ templateId: string; remaining: number }>)[0]!.remaining;

/** A request of a fresh customer dispatched to `engineerId`: its id and work order id. */
async function dispatchTo(engineerId: string) {
  const customer = await verifiedCustomerSession({ sandbox: sandbox() });
  const submitted = await api('/feedbacks', customer.token, feedbackInput());
  const dispatched = await api(`/feedbacks/${submitted.body.id}/dispatch`, cast.dispatcher.token, { engineerId });
  expect(dispatched.status).toBe(200);
  return { id: submitted.body.id as string, orderId: dispatched.body.workOrder.id as string, number: submitted.body.number as string };
}

/** An engineer whose WeChat also follows the Official Account (same person, unionid-linked). */
async function followingEngineer(name: string) {
  const engineer = await createEngineer({ name });
  const wechat = await bindEngineerWeChat(engineer, sandbox());
  const oaOpenid = `oOaEng${wechat.mpOpenid.slice(-10)}`;
  await WeChatUser.updateOne({ _id: wechat.wechatUserId }, { $set: { oaOpenid, subscribed: true } });
  sandbox().registerUser({ openid: oaOpenid, subscribed: true });
  return { engineer, wechat, oaOpenid };
}

describe('subscribe-message consent', () => {
  it('is recorded per 允许 and spent by a send: the engineer gets the dispatch notice once', async () => {
    const engineer = await createEngineer({ name: '钱工' });
    const wechat = await bindEngineerWeChat(engineer, sandbox());
    expect(await remaining(wechat.token)).toBe(0);
    expect((await consent(wechat)).remaining).toBe(1);
    expect((await consent(wechat)).remaining).toBe(2);

    const { orderId, id, number } = await dispatchTo(engineer.id);
    const sent = await eventually(() => sandbox().sent({ openid: wechat.mpOpenid, kind: 'subscribe' }), (list) => list.length >= 1);
    expect(payload(sent[0])).toMatchObject({ template_id: dispatchTemplate(), page: `pages/engineer/order?id=${orderId}&feedbackId=${id}` });
    expect(payload(sent[0]).data.character_string1.value).toBe(number);
    expect(Object.keys(payload(sent[0]).data)).toHaveLength(5);
    await eventually(() => remaining(wechat.token), (left) => left === 1);
  });

  it('refuses a template the mini-program does not use', async () => {
    const engineer = await createEngineer({ name: '吴工' });
    const wechat = await bindEngineerWeChat(engineer, sandbox());
    const refused = await api('/me/subscriptions', wechat.token, { templateId: 'not-ours', accepted: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('SUBSCRIBE_TEMPLATE_UNKNOWN');
    const declined = await api('/me/subscriptions', wechat.token, { templateId: dispatchTemplate(), accepted: false });
    expect(declined.body.remaining).toBe(0);
  });

  it('without consent left: a follower gets an Official Account template message instead', async () => {
    const { engineer, wechat, oaOpenid } = await followingEngineer('郑工');
    await consent(wechat);
    await dispatchTo(engineer.id);
    await eventually(() => sandbox().sent({ openid: wechat.mpOpenid, kind: 'subscribe' }), (list) => list.length === 1);

    const second = await dispatchTo(engineer.id);
    const templates = await eventually(() => sandbox().sent({ openid: oaOpenid, kind: 'template' }), (list) => list.length >= 1);
    expect(payload(templates[0])).toMatchObject({
      template_id: server.config.wechat.templates.serviceStatus,
      miniprogram: { appid: TEST_MP.appid, pagepath: `pages/engineer/order?id=${second.orderId}&feedbackId=${second.id}` },
    });
    expect(payload(templates[0]).data.phrase3.value).toBe('新工单');
    expect(sandbox().sent({ openid: wechat.mpOpenid, kind: 'subscribe' })).toHaveLength(1);
    const detail = await api(`/feedbacks/${second.id}`, cast.dispatcher.token);
    expect(detail.body.workOrder.noticeMissed).toBe(false);
  });

  it('WeChat answering 43101 (consent recorded here but not at WeChat) also falls back', async () => {
    const { engineer, wechat, oaOpenid } = await followingEngineer('冯工');
    // The app reported a 允许 WeChat never saw.
    await api('/me/subscriptions', wechat.token, { templateId: dispatchTemplate(), accepted: true });
    await dispatchTo(engineer.id);
    await eventually(() => sandbox().sent({ openid: oaOpenid, kind: 'template' }), (list) => list.length >= 1);
    expect(sandbox().calls().some((c) => c.path === '/cgi-bin/message/subscribe/send' && c.errcode === 43101)).toBe(true);
    expect(await remaining(wechat.token)).toBe(0);
  });

  it('without consent and not following: the work order is marked 未收到通知 in the list and the detail', async () => {
    const engineer = await createEngineer({ name: '陈工' });
    await bindEngineerWeChat(engineer, sandbox());
    const { id, orderId } = await dispatchTo(engineer.id);
    const detail = await eventually(() => api(`/feedbacks/${id}`, cast.dispatcher.token), (answer) => answer.body.workOrder?.noticeMissed === true);
    expect(detail.body.workOrder.id).toBe(orderId);
    const list = await api(`/feedbacks?q=${encodeURIComponent(detail.body.number)}`, cast.dispatcher.token);
    expect(list.body.items[0]).toMatchObject({ id, noticeMissed: true });
  });

  it('a retried notification job spends one consent, not two', async () => {
    const engineer = await createEngineer({ name: '褚工' });
    const wechat = await bindEngineerWeChat(engineer, sandbox());
    await consent(wechat);
    await consent(wechat);
    const logger = createLogger('silent');
    const mp = createMiniProgramClient({ baseUrl: server.sandbox.url, appid: TEST_MP.appid, secret: TEST_MP.secret, tokenStore: createMemoryTokenStore() });
    const oa = createOfficialAccountClient({ baseUrl: server.sandbox.url, appid: TEST_OA.appid, secret: TEST_OA.secret, tokenStore: createMemoryTokenStore() });
    const notice: SubscribeNotice = {
      id: `retry-test:${wechat.wechatUserId}`,
      staffId: engineer.id,
      reason: 'work-order.dispatched',
      message: {
        template_id: dispatchTemplate(),
        data: {
          character_string1: { value: 'FW20261127-0001' },
          thing2: { value: '维修：空调不制冷' },
          thing3: { value: '客户' },
          phone_number4: { value: '13800000000' },
          time5: { value: '2026-11-30 12:00' },
        },
      },
    };
    // First attempt: the connection drops — the job system retries it.
    const dropping = { sendSubscribeMessage: async () => Promise.reject(new WeChatNetworkError('network', '/cgi-bin/message/subscribe/send', 'socket hang up')) };
    await expect(sendSubscribeNotice(notice, { mp: dropping, oa, logger })).rejects.toThrow(WeChatNetworkError);
    expect(await remaining(wechat.token)).toBe(1);
    // The retry uses the consent the first attempt took.
    expect(await sendSubscribeNotice(notice, { mp, oa, logger })).toBe('sent');
    expect(await remaining(wechat.token)).toBe(1);
    // A different notice takes the other one; a third finds none.
    expect(await sendSubscribeNotice({ ...notice, id: `${notice.id}:2` }, { mp, oa, logger })).toBe('sent');
    expect(await sendSubscribeNotice({ ...notice, id: `${notice.id}:3` }, { mp, oa, logger })).toBe('missed');
    expect(sandbox().sent({ openid: wechat.mpOpenid, kind: 'subscribe' })).toHaveLength(2);
  });

  it('two notices racing for the last consent: one spends it', async () => {
    const engineer = await createEngineer({ name: '卫工' });
    const wechat = await bindEngineerWeChat(engineer, sandbox());
    await consent(wechat);
    const logger = createLogger('silent');
    const mp = createMiniProgramClient({ baseUrl: server.sandbox.url, appid: TEST_MP.appid, secret: TEST_MP.secret, tokenStore: createMemoryTokenStore() });
    const oa = createOfficialAccountClient({ baseUrl: server.sandbox.url, appid: TEST_OA.appid, secret: TEST_OA.secret, tokenStore: createMemoryTokenStore() });
    const base: SubscribeNotice = {
      staffId: engineer.id,
      reason: 'work-order.dispatched',
      message: { template_id: dispatchTemplate(), data: { character_string1: { value: 'FW1' }, thing2: { value: '维修' }, thing3: { value: '客户' }, phone_number4: { value: '13800000000' }, time5: { value: '2026-11-30 12:00' } } },
    };
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, n) => sendSubscribeNotice({ ...base, id: `race:${wechat.wechatUserId}:${n}` }, { mp, oa, logger })));
    expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'missed')).toHaveLength(5);
  });
});
