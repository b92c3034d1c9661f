// The workbench and the menu badges at the seeded size: badges are polled by every open console
// (every 60 s and on navigation), so their uncached cost is what a busy server pays per person.
// Every role that has cards is measured: admin, a manager and a dispatcher of one department, a
// salesperson (owning a few hundred customers, some about to return to the pool) and a marketer.
import mongoose from 'mongoose';
import { Customer } from '../src/modules/customers/customer.model.js';
import { createSession } from '../src/modules/identity/session.service.js';
import { createStaff } from '../src/modules/identity/staff.service.js';
import { clearBadgeCache } from '../src/modules/workbench/workbench.service.js';
import { row } from './report.js';
import type { World } from './seed.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 5);
/** Customers the bench's salesperson owns, and how many of them were warned of their return. */
const OWNED = 300;
const WARNED = 40;

async function get(url: string, path: string, token: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${text.slice(0, 200)}`);
  return performance.now() - started;
}

async function sample(url: string, path: string, token: string, options: { uncached: boolean }): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    if (options.uncached) clearBadgeCache();
    samples.push(await get(url, path, token));
  }
  return samples;
}

export interface SalesPeople {
  managerToken: string;
  salesToken: string;
  marketerToken: string;
}

let people: SalesPeople | null = null;

/** A manager and a salesperson of the first department and a marketer, made once per bench run. */
export async function salesPeople(world: World): Promise<SalesPeople> {
  if (people) return people;
  const department = world.departments[0];
  const manager = await createStaff({ username: 'bench-manager', name: '经理', password: 'bench-pass-123', role: 'manager', department });
  const sales = await createStaff({ username: 'bench-sales', name: '业务员', password: 'bench-pass-123', role: 'sales', department });
  const marketer = await createStaff({ username: 'bench-marketer', name: '市场专员', password: 'bench-pass-123', role: 'marketer', department });
  people = {
    managerToken: (await createSession('staff', manager.id)).token,
    salesToken: (await createSession('staff', sales.id)).token,
    marketerToken: (await createSession('staff', marketer.id)).token,
  };
  // Seeded customers are all in the pool: the salesperson owns a few hundred, some of them warned.
  const owned = world.customerIds.slice(0, OWNED * world.departments.length).filter((_, i) => i % world.departments.length === 0);
  const now = new Date();
  await Customer.collection.updateMany({ _id: { $in: owned } }, { $set: { ownerId: sales.id, ownerSince: now } });
  await Customer.collection.updateMany({ _id: { $in: owned.slice(0, WARNED) as mongoose.Types.ObjectId[] } }, { $set: { poolReminderAt: now } });
  return people;
}

export async function benchWorkbench(url: string, size: number, world: World, adminToken: string): Promise<void> {
  const { managerToken, salesToken, marketerToken } = await salesPeople(world);
  const roles = [
    { who: 'admin', token: adminToken },
    { who: 'manager (1 department)', token: managerToken },
    { who: 'dispatcher (1 department)', token: world.dispatcherToken },
    { who: 'sales', token: salesToken },
    { who: 'marketer', token: marketerToken },
  ];
  for (const { who, token } of roles) {
    row(size, `workbench: badges, ${who}`, await sample(url, '/api/v1/workbench/badges', token, { uncached: true }));
    row(size, `workbench: badges, ${who}, cached`, await sample(url, '/api/v1/workbench/badges', token, { uncached: false }));
    row(size, `workbench: cards, ${who}`, await sample(url, '/api/v1/workbench', token, { uncached: true }));
  }
}
