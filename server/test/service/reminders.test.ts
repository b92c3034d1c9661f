// Reminder jobs with a controlled clock: due-soon to the engineer, overdue to the customer (and
// the engineer), each once, nothing for completed requests; the sweep; the warranty reminder.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { ProductArchive } from '../../src/modules/customers/product-archive.model.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { SEND_SUBSCRIBE_JOB, SEND_TEMPLATE_JOB, sendSubscribeNotice, sendTemplateNotice, type SubscribeNotice } from '../../src/modules/notifications/notification.jobs.js';
import { recordConsent } from '../../src/modules/notifications/subscription.service.js';
import { chinaDateTime } from '../../src/lib/china-time.js';
import { Feedback } from '../../src/modules/service/feedback.model.js';
import { DUE_REMINDER_JOB, runDueReminder, sweepReminders } from '../../src/modules/service/reminders.js';
import { runWarrantyReminders } from '../../src/modules/service/warranty.js';
import { createMemoryTokenStore, createMiniProgramClient, createOfficialAccountClient } from '../../src/wechat/api/index.js';
import { bindEngineerWeChat, createContact, createCustomer, createProduct, customerSession } from '../helpers/factories.js';
import { call, TEST_MP, TEST_OA, type TestServer } from '../helpers/server.js';
import { feedbackIn, recordingDeps, useServerWithCast, type Cast } from './scenario.js';

/** What the sandbox recorded of a template or subscribe message. */
type TemplatePayload = { template_id: string; data: { [key: string]: { value: string } } };

let server: TestServer;
let cast: Cast;
useServerWithCast((started) => ({ server, cast } = started));

const HOUR = 3600_000;
const at = (base: Date, hours: number) => new Date(base.getTime() + hours * HOUR);

/** A request due in 3 days, dispatched (or left at `state`), with the jobs it queued. */
async function dueRequest(state: 'submitted' | 'dispatched' | 'completed' = 'dispatched') {
  const deps = recordingDeps();
  const requestedBy = new Date(Math.ceil((Date.now() + 72 * HOUR) / 1000) * 1000);
  const ids = await feedbackIn(cast, state, deps, { requestedBy: requestedBy.toISOString() });
  return { ...ids, requestedBy, deps };
}

const senders = () => ({
  oa: createOfficialAccountClient({ baseUrl: server.sandbox.url, ...TEST_OA, tokenStore: createMemoryTokenStore() }),
  mp: createMiniProgramClient({ baseUrl: server.sandbox.url, ...TEST_MP, tokenStore: createMemoryTokenStore() }),
  logger: createLogger('silent'),
});

describe('due reminders', () => {
  it('are scheduled at dispatch: before the requested time and when it passes', async () => {
    const { id, requestedBy, deps } = await dueRequest();
    const scheduled = deps.queued.filter((job) => job.name === DUE_REMINDER_JOB);
    expect(scheduled).toEqual([
      { name: DUE_REMINDER_JOB, data: { feedbackId: id, kind: 'due_soon' }, when: at(requestedBy, -24) },
      { name: DUE_REMINDER_JOB, data: { feedbackId: id, kind: 'overdue' }, when: requestedBy },
    ]);
  });

  it('due soon: the engineer is reminded once, only inside the lead time', async () => {
    const { id, requestedBy } = await dueRequest();
    const deps = recordingDeps();
    expect(await runDueReminder({ feedbackId: id, kind: 'due_soon' }, deps, at(requestedBy, -25))).toBe(false);
    expect(await runDueReminder({ feedbackId: id, kind: 'due_soon' }, deps, at(requestedBy, -2))).toBe(true);
    expect(await runDueReminder({ feedbackId: id, kind: 'due_soon' }, deps, at(requestedBy, -1))).toBe(false);
    expect(deps.queued).toEqual([expect.objectContaining({ name: SEND_SUBSCRIBE_JOB, data: expect.objectContaining({ staffId: cast.engineer.id, reason: 'work-order.due_soon' }) })]);
    const stored = await Feedback.findById(id).lean();
    expect(stored?.reminders.map((r) => r.kind)).toEqual(['due_soon']);

    // Delivered to the engineer's bound mini-program, with a consent the engineer gave.
    const wechat = await bindEngineerWeChat(cast.engineer, server.sandbox.sandbox);
    const notice = deps.queued[0]!.data as SubscribeNotice;
    const templateId = notice.message.template_id;
    await call(server.sandbox.url, '/mp/subscribe-consent', { body: { openid: wechat.mpOpenid, templateIds: [templateId] } });
    await recordConsent(wechat.wechatUserId, { templateId, accepted: true }, { dispatch: templateId });
    expect(await sendSubscribeNotice(notice, senders())).toBe('sent');
    const [message] = server.sandbox.sandbox.sent({ openid: wechat.mpOpenid, kind: 'subscribe' });
    expect((message?.payload as TemplatePayload).data.time5!.value).toBe(chinaDateTime(requestedBy));
    expect(notice.fallback?.data.thing4?.value).toBe('即将到达客户要求的完成时间');
  });

  it('overdue: the customer and the engineer, once; the customer gets the template message', async () => {
    const { id, requestedBy } = await dueRequest();
    const deps = recordingDeps();
    expect(await runDueReminder({ feedbackId: id, kind: 'overdue' }, deps, at(requestedBy, -1))).toBe(false);
    expect(await runDueReminder({ feedbackId: id, kind: 'overdue' }, deps, at(requestedBy, 0.1))).toBe(true);
    expect(await runDueReminder({ feedbackId: id, kind: 'overdue' }, deps, at(requestedBy, 5))).toBe(false);
    // Past the time, a late due-soon reminder is pointless.
    expect(await runDueReminder({ feedbackId: id, kind: 'due_soon' }, deps, at(requestedBy, 5))).toBe(false);
    expect(deps.queued.map((job) => job.name)).toEqual([SEND_TEMPLATE_JOB, SEND_SUBSCRIBE_JOB]);
    const notice = deps.queued[0]!.data;
    expect(notice).toMatchObject({ wechatUserId: cast.owner.wechatUserId, message: { template_id: 'qiao-service-overdue' } });

    server.sandbox.sandbox.registerUser({ openid: cast.owner.oaOpenid });
    expect(await sendTemplateNotice(notice, senders())).toBe('sent');
    const [message] = server.sandbox.sandbox.sent({ openid: cast.owner.oaOpenid, kind: 'template' });
    expect((message?.payload as TemplatePayload).data.thing4!.value).toBe('已超过要求完成时间，我们正在加急处理');
  });

  it('nothing for completed requests; not-yet-dispatched ones get only the overdue notice', async () => {
    const done = await dueRequest('completed');
    const deps = recordingDeps();
    expect(await runDueReminder({ feedbackId: done.id, kind: 'due_soon' }, deps, at(done.requestedBy, -2))).toBe(false);
    expect(await runDueReminder({ feedbackId: done.id, kind: 'overdue' }, deps, at(done.requestedBy, 1))).toBe(false);
    const waiting = await dueRequest('submitted');
    expect(await runDueReminder({ feedbackId: waiting.id, kind: 'due_soon' }, deps, at(waiting.requestedBy, -2))).toBe(false);
    expect(await runDueReminder({ feedbackId: waiting.id, kind: 'overdue' }, deps, at(waiting.requestedBy, 1))).toBe(true);
    expect(deps.queued.map((job) => job.name)).toEqual([SEND_TEMPLATE_JOB]);
  });

  it('the sweep sends what is due, once, whatever was scheduled', async () => {
    const soon = await dueRequest();
    const late = await dueRequest();
    const deps = recordingDeps();
    // Both requests share the same requested time ± a few ms: 2 h before it, then 1 h after it.
    const beforeDue = at(soon.requestedBy, -2);
    await Feedback.updateOne({ _id: late.id }, { $set: { requestedBy: at(soon.requestedBy, -4), overdueAt: at(soon.requestedBy, -4) } });
    await sweepReminders(deps, at(soon.requestedBy, -5 - 24));
    expect(deps.queued).toHaveLength(0);
    await sweepReminders(deps, beforeDue);
    const remindedIds = async () => (await Feedback.find({ _id: { $in: [soon.id, late.id] } }).lean()).map((f) => [String(f._id), f.reminders.map((r) => r.kind)]);
    expect(Object.fromEntries(await remindedIds())).toEqual({ [soon.id]: ['due_soon'], [late.id]: ['overdue'] });
    const count = deps.queued.length;
    await sweepReminders(deps, beforeDue);
    expect(deps.queued).toHaveLength(count);
    await sweepReminders(deps, at(soon.requestedBy, 1));
    expect(Object.fromEntries(await remindedIds())).toEqual({ [soon.id]: ['due_soon', 'overdue'], [late.id]: ['overdue'] });
  });
});

describe('warranty reminder', () => {
  it("reminds each following WeChat user of the owner's contacts once, 30 days before the end", async () => {
    const now = new Date();
    const customer = await createCustomer({ name: '宁波海景酒店' });
    const contactA = await createContact(customer, { name: '甲' });
    const contactB = await createContact(customer, { name: '乙' });
    const following = await customerSession({ customer, contact: contactA, follows: true, sandbox: server.sandbox.sandbox });
    const alsoFollowing = await customerSession({ customer, contact: contactB, follows: true, sandbox: server.sandbox.sandbox });
    const notFollowing = await customerSession({ customer, contact: contactB, follows: false });
    const expiring = await createProduct(customer, { model: 'RSJ-60 智能恒温燃气热水器旗舰版豪华型号', warrantyEndsAt: at(now, 10 * 24) });
    await createProduct(customer, { warrantyEndsAt: at(now, 40 * 24) });
    await createProduct(customer, { warrantyEndsAt: at(now, -24) });

    const deps = recordingDeps();
    expect(await runWarrantyReminders(deps, now)).toBe(2);
    expect(deps.queued.map((job) => job.data.wechatUserId).sort()).toEqual([following.wechatUserId, alsoFollowing.wechatUserId].sort());
    expect(deps.queued.some((job) => job.data.wechatUserId === notFollowing.wechatUserId)).toBe(false);
    expect((await ProductArchive.findById(expiring._id).lean())?.warrantyReminderSentAt).toEqual(now);
    expect(await runWarrantyReminders(deps, at(now, 24))).toBe(0);

    const notice = deps.queued.find((job) => job.data.wechatUserId === following.wechatUserId)!.data;
    expect(await sendTemplateNotice(notice, senders())).toBe('sent');
    const [message] = server.sandbox.sandbox.sent({ openid: following.oaOpenid, kind: 'template' });
    const payload = message?.payload as TemplatePayload;
    expect(payload.template_id).toBe('qiao-warranty-expiring');
    expect([...payload.data.thing1!.value].length).toBeLessThanOrEqual(20);
    expect(payload.data.character_string2!.value).toBe(expiring.serialNumber);

    // Unfollowed since: skipped, not an error.
    await WeChatUser.updateOne({ _id: alsoFollowing.wechatUserId }, { $set: { subscribed: false } });
    const other = deps.queued.find((job) => job.data.wechatUserId === alsoFollowing.wechatUserId)!.data;
    expect(await sendTemplateNotice(other, senders())).toBe('skipped');
  });
});
