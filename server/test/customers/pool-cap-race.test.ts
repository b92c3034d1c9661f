// The cap (公海规则 maxOwned) under concurrency: a manager's bulk reassignment (批量转移) to one
// person racing colleagues' transfers (转交) and that person's own claims (申领), as real parallel
// HTTP calls. The receiver never ends above the cap, and every customer ends with exactly the owner
// its ownership history says (or in the pool).
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
const DEPARTMENT = '销售五部';
const CAP = 6;

async function customerOf(ownerId: string | null): Promise<string> {
  const doc = await createCustomer({ name: unique('上限客户'), department: DEPARTMENT });
  await Customer.updateOne({ _id: doc._id }, { $set: ownerId ? { ownerId, ownerSince: new Date() } : { ownerId: null, poolEnteredAt: new Date() } });
  return String(doc._id);
}

type Event = { kind: string; toOwnerId: string | null; fromOwnerId: string | null };
const history = async (id: string) => (await api(`/api/v1/customers/${id}/ownership`, admin)).body as Event[];

it('bulk reassignment racing transfers and claims to one receiver never ends above the cap', async () => {
  const saved = await api('/api/v1/settings/pool', admin, {
    method: 'PUT',
    body: { defaults: { maxOwned: CAP, maxDaysWithoutFollowUp: 30, maxDaysWithoutDeal: 90, remindDaysBefore: 3 }, byRole: {}, byStaff: [] },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  const manager = await createStaffMember('manager', { department: DEPARTMENT });
  let overshootChances = 0;
  for (let round = 0; round < 3; round += 1) {
    const receiver = await createStaffMember('sales', { department: DEPARTMENT });
    const leaver = await createStaffMember('sales', { department: DEPARTMENT });
    const givers = await Promise.all(Array.from({ length: 4 }, () => createStaffMember('sales', { department: DEPARTMENT })));
    // The receiver owns 2; the leaver's 4 fit exactly (the reassignment's own check passes).
    const start = [await customerOf(receiver.id), await customerOf(receiver.id)];
    const leavers = await Promise.all(Array.from({ length: 4 }, () => customerOf(leaver.id)));
    const given = await Promise.all(givers.map((giver) => customerOf(giver.id)));
    const pooled = await Promise.all(Array.from({ length: 3 }, () => customerOf(null)));
    const originalOwner = new Map<string, string | null>([
      ...start.map((id) => [id, receiver.id] as const),
      ...leavers.map((id) => [id, leaver.id] as const),
      ...given.map((id, i) => [id, givers[i]!.id] as const),
      ...pooled.map((id) => [id, null] as const),
    ]);

    const [reassigned, ...others] = await Promise.all([
      api('/api/v1/customers/reassign', manager.token, { body: { fromStaffId: leaver.id, toStaffId: receiver.id, reason: '离职交接' } }),
      ...given.map((id, i) => api(`/api/v1/customers/${id}/transfer`, givers[i]!.token, { body: { toStaffId: receiver.id, reason: '区域调整' } })),
      ...pooled.map((id) => api(`/api/v1/customers/${id}/claim`, receiver.token, { method: 'POST' })),
    ]);
    // Every refusal is the cap's; a reassignment stopped by it leaves the rest with the leaver.
    if (reassigned.status !== 200) expect(reassigned.body.error.code).toBe('POOL_CAP_REACHED');
    for (const answer of others.filter((a) => a.status !== 200)) expect(answer.body.error.code).toBe('POOL_CAP_REACHED');
    if (others.some((a) => a.status === 200)) overshootChances += 1;

    const owned = await Customer.countDocuments({ ownerId: receiver.id });
    expect(owned).toBeLessThanOrEqual(CAP);
    // Each customer is owned by whom its history says: the last move's receiver, or still its first owner.
    let counted = 0;
    for (const [id, first] of originalOwner) {
      const doc = (await Customer.findById(id).lean())!;
      const events = await history(id);
      const expected = events.length > 0 ? events[0]!.toOwnerId : first;
      expect(doc.ownerId ?? null, `customer ${id}: ${JSON.stringify(events)}`).toBe(expected);
      if (events.length > 0) expect(events[0]!.fromOwnerId).toBe(first);
      if (doc.ownerId === receiver.id) counted += 1;
    }
    expect(counted).toBe(owned);
    const succeeded = others.filter((a) => a.status === 200).length + (reassigned.status === 200 ? reassigned.body.moved : 4 - (await Customer.countDocuments({ ownerId: leaver.id })));
    expect(owned).toBe(2 + succeeded);
  }
  // The race was real: besides the reassignment, other moves got through in some round.
  expect(overshootChances).toBeGreaterThan(0);
});
