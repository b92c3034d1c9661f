// 新建商机 by hand (POST /api/v1/opportunities): the customer must be one the caller may see, and the
// owner the caller (sales) or someone a manager manages. The permission matrix: sales on their own
// and on another's customer, a manager in and out of the department, admin.
import { beforeAll, describe, expect, it } from 'vitest';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { withPoolClock } from '../../src/modules/customers/pool-clock.service.js';
import { Opportunity } from '../../src/modules/leads/opportunity.model.js';
import { adminToken, createCustomer, createStaffMember, unique } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
useTestServer((s) => void (server = s));

type Staff = Awaited<ReturnType<typeof createStaffMember>>;
let seller: Staff;
let colleague: Staff;
let manager: Staff;
let farManager: Staff;
let admin: string;
let ownCustomer: string;
let othersCustomer: string;
let poolCustomer: string;

async function customerOwnedBy(owner: Staff | null, department: string): Promise<string> {
  const doc = await createCustomer({ name: unique('商机客户'), department });
  await Customer.updateOne({ _id: doc._id }, { $set: { ownerId: owner?.id ?? null } });
  return String(doc._id);
}

const create = (token: string, body: Record<string, unknown>) => call(server.url, '/api/v1/opportunities', { token, body });
const body = (customerId: string, extra: Record<string, unknown> = {}) => ({ customerId, name: '新风系统改造', amount: 1_500_000, expectedCloseAt: '2026-12-31', ...extra });

beforeAll(async () => {
  const department = unique('商机部');
  seller = await createStaffMember('sales', { department });
  colleague = await createStaffMember('sales', { department });
  manager = await createStaffMember('manager', { department });
  farManager = await createStaffMember('manager', { department: unique('远方部') });
  admin = await adminToken(server);
  ownCustomer = await customerOwnedBy(seller, department);
  othersCustomer = await customerOwnedBy(colleague, department);
  poolCustomer = await customerOwnedBy(null, department);
});

describe('POST /api/v1/opportunities', () => {
  it('sales: on their own customer, owned by themselves; another\'s customer or the pool is not found', async () => {
    const made = await create(seller.token, body(ownCustomer));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ customerId: ownCustomer, ownerId: seller.id, stage: 'open', amount: 1_500_000, expectedCloseAt: '2026-12-31', source: 'manual', leadId: null });
    expect(await Opportunity.exists({ _id: made.body.id })).toBeTruthy();
    // Listed for the seller and on the customer's 360 view.
    const list = await call(server.url, `/api/v1/opportunities?customerId=${ownCustomer}`, { token: seller.token });
    expect(list.body.items.map((o: { id: string }) => o.id)).toContain(made.body.id);

    for (const customerId of [othersCustomer, poolCustomer]) {
      const refused = await create(seller.token, body(customerId));
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe('CUSTOMER_NOT_FOUND');
    }
    const forOther = await create(seller.token, body(ownCustomer, { ownerId: colleague.id }));
    expect(forOther.status).toBe(403);
    expect(forOther.body.error.code).toBe('OWNER_NOT_ALLOWED');
  });

  it('managers: in their department (naming an owner there), not outside it', async () => {
    const mine = await create(manager.token, body(othersCustomer));
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    expect(mine.body.ownerId).toBe(manager.id);
    const named = await create(manager.token, body(othersCustomer, { ownerId: colleague.id }));
    expect(named.body).toMatchObject({ ownerId: colleague.id });
    const pooled = await create(manager.token, body(poolCustomer, { ownerId: seller.id }));
    expect(pooled.status).toBe(201);

    const far = await create(farManager.token, body(ownCustomer));
    expect(far.status).toBe(404);
    expect(far.body.error.code).toBe('CUSTOMER_NOT_FOUND');
    const farOwner = await create(manager.token, body(ownCustomer, { ownerId: farManager.id }));
    expect(farOwner.status).toBe(403);
    expect(farOwner.body.error.code).toBe('OWNER_OUT_OF_SCOPE');
  });

  it('admin: any customer, the customer\'s owner by default; a pool customer needs an owner', async () => {
    const made = await create(admin, body(othersCustomer));
    expect(made.status).toBe(201);
    expect(made.body.ownerId).toBe(colleague.id);
    const pool = await create(admin, body(poolCustomer));
    expect(pool.status).toBe(400);
    expect(pool.body.error.code).toBe('OWNER_REQUIRED');
  });

  it('validates with the shared schema; entered as won it restarts the pool clock, lost needs a reason', async () => {
    const bad = await create(seller.token, { customerId: ownCustomer, name: '', amount: -1, $where: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect((await create(seller.token, body(ownCustomer, { stage: 'lost' }))).status).toBe(400);
    const won = await create(seller.token, body(ownCustomer, { stage: 'won' }));
    expect(won.status).toBe(201);
    expect(won.body.closedAt).not.toBeNull();
    const customer = await withPoolClock((await Customer.findById(ownCustomer).lean())!);
    expect(customer.lastDealAt?.toISOString()).toBe(won.body.closedAt);
  });
});
