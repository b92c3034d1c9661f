// Claims racing across two server processes on one database (as with two machines): exactly one
// winner per customer, and one person's claims spread over both processes never pass their cap.
import mongoose from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connection.js';
import { writeSetting } from '../../src/lib/settings.js';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { POOL_RULES_SETTING } from '../../src/modules/customers/pool-rules.js';
import { startSandbox } from '../../src/wechat/sandbox/index.js';
import { freshDatabaseUri } from '../helpers/db.js';
import { createCustomer, createStaffMember, unique } from '../helpers/factories.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { call, TEST_MP, TEST_OA, testEnv } from '../helpers/server.js';

const servers: ServerProcess[] = [];
let sandbox: Awaited<ReturnType<typeof startSandbox>>;

beforeAll(async () => {
  sandbox = await startSandbox({ apps: [{ ...TEST_OA, kind: 'oa' }, { ...TEST_MP, kind: 'mp' }] });
  const uri = freshDatabaseUri();
  const env = testEnv(sandbox.url, uri);
  // One after the other: both create indexes and the admin account on an empty database.
  servers.push(await spawnServer(env));
  servers.push(await spawnServer(env));
  await connectDatabase(uri);
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await mongoose.connection.db?.dropDatabase().catch(() => {});
  await mongoose.disconnect();
  await sandbox?.close();
});

const poolCustomer = async () => String((await createCustomer({ name: unique('公海客户') }))._id);
const claim = (index: number, id: string, token: string) => call(servers[index % 2]!.url, `/api/v1/customers/${id}/claim`, { token, method: 'POST' });

it('20 claims over two processes: one winner', async () => {
  await writeSetting(POOL_RULES_SETTING, { defaults: { maxOwned: 0, maxDaysWithoutFollowUp: 30, maxDaysWithoutDeal: 90, remindDaysBefore: 3 }, byRole: {}, byStaff: [] }, 'test');
  const id = await poolCustomer();
  const claimers = await Promise.all(Array.from({ length: 20 }, () => createStaffMember('sales')));
  const answers = await Promise.all(claimers.map((who, i) => claim(i, id, who.token)));
  expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
  expect(answers.filter((answer) => answer.status === 409 && answer.body.error.code === 'CUSTOMER_ALREADY_CLAIMED')).toHaveLength(19);
  const winner = claimers[answers.findIndex((answer) => answer.status === 200)]!;
  expect((await Customer.findById(id).lean())!.ownerId).toBe(winner.id);
});

it('one person claiming 10 customers over two processes stays within a cap of 2', async () => {
  const greedy = await createStaffMember('sales');
  await writeSetting(POOL_RULES_SETTING, { defaults: { maxOwned: 2, maxDaysWithoutFollowUp: 30, maxDaysWithoutDeal: 90, remindDaysBefore: 3 }, byRole: {}, byStaff: [] }, 'test');
  const ids = await Promise.all(Array.from({ length: 10 }, () => poolCustomer()));
  const answers = await Promise.all(ids.map((id, i) => claim(i, id, greedy.token)));
  for (const answer of answers.filter((a) => a.status !== 200)) expect(answer.body.error.code).toBe('POOL_CAP_REACHED');
  expect(await Customer.countDocuments({ ownerId: greedy.id })).toBeLessThanOrEqual(2);
  expect(await Customer.countDocuments({ ownerId: greedy.id })).toBe(answers.filter((a) => a.status === 200).length);
});
