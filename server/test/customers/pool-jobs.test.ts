// The daily pool sweep with a controlled clock, on the real database: overdue customers return to
// the pool (event `return`, by nobody), their owner is reminded once before (poolReminderAt and a
// template message the sandbox accepts), locked and recently won customers stay, a person's rule
// beats the defaults, a follow-up restarts the clock, and two sweeps at once do everything once.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { ownershipHistory } from '../../src/modules/customers/ownership.service.js';
import { noteCustomerFollowUp } from '../../src/modules/customers/pool-clock.service.js';
import { runPoolSweep, type PoolJobDeps } from '../../src/modules/customers/pool.jobs.js';
import { Staff } from '../../src/modules/identity/staff.model.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { sendTemplateNotice, type TemplateNotice } from '../../src/modules/notifications/notification.jobs.js';
import { createMemoryTokenStore, createMiniProgramClient, createOfficialAccountClient } from '../../src/wechat/api/index.js';
import { adminToken, createStaffMember, unique } from '../helpers/factories.js';
import { call, TEST_MP, TEST_OA, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: string;
useTestServer(async (started) => {
  server = started;
  admin = await adminToken(server);
});

const DAY = 24 * 3600_000;
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const daysFrom = (base: Date, days: number) => new Date(base.getTime() + days * DAY);

function recordingDeps(): PoolJobDeps & { queued: TemplateNotice[] } {
  const queued: TemplateNotice[] = [];
  return { queued, jobs: { now: async (_name, data) => void queued.push(data as TemplateNotice) }, logger: createLogger('silent'), reminderTemplateId: 'qiao-pool-return' };
}

async function ownedCustomer(ownerId: string, fields: { ownerSince: Date; lastFollowUpAt?: Date; lastDealAt?: Date; locked?: boolean }) {
  const doc = await Customer.create({ code: unique('KH'), name: unique('到期客户'), region: '杭州', department: '销售一部', ownerId, ...fields });
  return String(doc._id);
}

const ownerOf = async (id: string) => (await Customer.findById(id).lean())!.ownerId ?? null;

describe('daily pool sweep', () => {
  it('returns overdue customers, reminds once before, spares locked and won ones; restart-safe', async () => {
    const saved = await call(server.url, '/api/v1/settings/pool', {
      token: admin,
      method: 'PUT',
      body: { defaults: { maxOwned: 0, maxDaysWithoutFollowUp: 10, maxDaysWithoutDeal: 60, remindDaysBefore: 3 }, byRole: {}, byStaff: [] },
    });
    expect(saved.status).toBe(200);
    const owner = await createStaffMember('sales', { department: '销售一部' });
    const patient = await createStaffMember('sales', { department: '销售一部' });
    await call(server.url, '/api/v1/settings/pool', {
      token: admin,
      method: 'PUT',
      body: { ...saved.body, byStaff: [{ staffId: patient.id, maxDaysWithoutFollowUp: 30 }] },
    });
    // The owner's WeChat follows the Official Account: the reminder goes there too.
    const oaOpenid = unique('oOaSales');
    const wechatUserId = randomUUID();
    await WeChatUser.create({ _id: wechatUserId, oaOpenid, subscribed: true, staffId: owner.id });
    await Staff.updateOne({ _id: owner.id }, { $set: { wechatUserId } });
    server.sandbox.sandbox.registerUser({ openid: oaOpenid, subscribed: true });

    const stale = await ownedCustomer(owner.id, { ownerSince: daysFrom(NOW, -20) });
    const followed = await ownedCustomer(owner.id, { ownerSince: daysFrom(NOW, -20), lastFollowUpAt: daysFrom(NOW, -2) });
    const soon = await ownedCustomer(owner.id, { ownerSince: daysFrom(NOW, -8) });
    const locked = await ownedCustomer(owner.id, { ownerSince: daysFrom(NOW, -20), locked: true });
    const won = await ownedCustomer(owner.id, { ownerSince: daysFrom(NOW, -100), lastDealAt: daysFrom(NOW, -5) });
    const noDeal = await ownedCustomer(owner.id, { ownerSince: daysFrom(NOW, -70), lastFollowUpAt: daysFrom(NOW, -1) });
    const ownRule = await ownedCustomer(patient.id, { ownerSince: daysFrom(NOW, -20) });

    // Two sweeps at the same moment (two processes, or a restart mid-run): everything happens once.
    const deps = recordingDeps();
    const [first, second] = await Promise.all([runPoolSweep(deps, NOW), runPoolSweep(deps, NOW)]);
    expect(first.returned + second.returned).toBe(2);
    expect(first.reminded + second.reminded).toBe(1);
    expect(await ownerOf(stale)).toBeNull();
    expect(await ownerOf(noDeal)).toBeNull();
    for (const kept of [followed, soon, locked, won, ownRule]) expect(await ownerOf(kept)).not.toBeNull();
    expect((await Customer.findById(soon).lean())!.poolReminderAt).toEqual(NOW);
    expect((await Customer.findById(followed).lean())!.poolReminderAt).toBeNull();

    const [returned] = await ownershipHistory(stale);
    expect(returned).toMatchObject({ kind: 'return', fromOwnerId: owner.id, toOwnerId: null, byStaffId: null, byStaffName: null, reason: '超过 10 天未跟进' });
    expect((await ownershipHistory(noDeal))[0]).toMatchObject({ kind: 'return', reason: '超过 60 天未成交' });
    expect(await ownershipHistory(stale)).toHaveLength(1);

    // The reminder: one template message to the owner, which the sandbox accepts (keywords, lengths).
    expect(deps.queued).toHaveLength(1);
    expect(deps.queued[0]).toMatchObject({ wechatUserId, message: { template_id: 'qiao-pool-return' } });
    const senders = {
      oa: createOfficialAccountClient({ baseUrl: server.sandbox.url, ...TEST_OA, tokenStore: createMemoryTokenStore() }),
      mp: createMiniProgramClient({ baseUrl: server.sandbox.url, ...TEST_MP, tokenStore: createMemoryTokenStore() }),
      logger: createLogger('silent'),
    };
    expect(await sendTemplateNotice(deps.queued[0]!, senders)).toBe('sent');
    expect(server.sandbox.sandbox.sent({ openid: oaOpenid, kind: 'template' })).toHaveLength(1);

    // Again the same day, and the next day: nothing new, no second reminder.
    expect(await runPoolSweep(deps, NOW)).toEqual({ returned: 0, reminded: 0 });
    expect(await runPoolSweep(deps, daysFrom(NOW, 1))).toEqual({ returned: 0, reminded: 0 });
    expect(deps.queued).toHaveLength(1);

    // A follow-up restarts the clock: reminded again only near the new due date, then returned.
    await noteCustomerFollowUp(soon, daysFrom(NOW, 1));
    expect(await runPoolSweep(deps, daysFrom(NOW, 1))).toEqual({ returned: 0, reminded: 0 });
    // Day 9: `followed` falls due (its follow-up was 11 days ago); `soon` (new clock) and the one
    // under the person's own 30 days are reminded.
    expect(await runPoolSweep(deps, daysFrom(NOW, 9))).toEqual({ returned: 1, reminded: 2 });
    expect(await ownerOf(followed)).toBeNull();
    expect(await ownerOf(soon)).toBe(owner.id);
    expect(deps.queued).toHaveLength(2); // `patient` has no WeChat: the workbench entry only
    expect((await Customer.findById(ownRule).lean())!.poolReminderAt).toEqual(daysFrom(NOW, 9));
    expect(await runPoolSweep(deps, daysFrom(NOW, 11.5))).toEqual({ returned: 2, reminded: 0 });
    expect(await ownerOf(soon)).toBeNull();
    // Locked and recently won customers are still owned.
    for (const kept of [locked, won]) expect(await ownerOf(kept)).not.toBeNull();

    // A returned customer is claimable again (a new stay in the pool).
    const claimer = await createStaffMember('sales', { department: '销售二部' });
    const claimed = await call(server.url, `/api/v1/customers/${stale}/claim`, { token: claimer.token, method: 'POST' });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ ownerId: claimer.id, department: '销售二部' });
  });
});
