// A follow-up (跟进记录, which restarts the customer's pool clock) racing an ownership move of the
// same customer, 100 times as real parallel HTTP calls: neither write may be lost — the customer
// ends with the new owner AND the follow-up's clock.
import { expect, it } from 'vitest';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { adminToken, createCustomer, createStaffMember, unique } from '../helpers/factories.js';

let server: TestServer;
let admin: string;

useTestServer(async (started) => {
  server = started;
  admin = await adminToken(server);
});

const api = (path: string, token: string, options: { method?: string; body?: unknown } = {}) => call(server.url, path, { token, ...options });
const DEPARTMENT = '销售六部';
const ROUNDS = 100;
const AT_ONCE = 10;

it('100 follow-ups racing transfers: no owner and no pool clock is lost', async () => {
  const saved = await api('/api/v1/settings/pool', admin, {
    method: 'PUT',
    body: { defaults: { maxOwned: 0, maxDaysWithoutFollowUp: 30, maxDaysWithoutDeal: 90, remindDaysBefore: 3 }, byRole: {}, byStaff: [] },
  });
  expect(saved.status).toBe(200);
  const from = await createStaffMember('sales', { department: DEPARTMENT });
  const to = await createStaffMember('sales', { department: DEPARTMENT });
  // The follow-ups are a manager's: the customer stays theirs to follow whichever move lands first.
  const manager = await createStaffMember('manager', { department: DEPARTMENT });
  const ids: string[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const doc = await createCustomer({ name: unique('跟进竞争'), department: DEPARTMENT });
    // An old reminder: the follow-up clears it, the transfer clears it too.
    await Customer.updateOne({ _id: doc._id }, { $set: { ownerId: from.id, ownerSince: new Date(Date.now() - 86_400_000), poolReminderAt: new Date() } });
    ids.push(String(doc._id));
  }
  const lost: string[] = [];
  for (let start = 0; start < ROUNDS; start += AT_ONCE) {
    const slice = ids.slice(start, start + AT_ONCE);
    const answers = await Promise.all(
      slice.flatMap((id) => [
        api('/api/v1/follow-records', manager.token, { body: { target: 'customer', customerId: id, kind: 'phone', note: '电话沟通报价' } }),
        api(`/api/v1/customers/${id}/transfer`, from.token, { body: { toStaffId: to.id, reason: '区域调整' } }),
      ]),
    );
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
  }
  for (const id of ids) {
    const view = await api(`/api/v1/customers/${id}`, admin);
    const doc = (await Customer.findById(id).lean())!;
    if (doc.ownerId !== to.id) lost.push(`${id}: owner ${doc.ownerId}`);
    if (!view.body.lastFollowUpAt) lost.push(`${id}: pool clock not restarted`);
    if (doc.poolReminderAt) lost.push(`${id}: reminder kept`);
  }
  expect(lost).toEqual([]);
}, 180_000);
