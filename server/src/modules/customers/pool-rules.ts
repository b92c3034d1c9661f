// Pool rules (公海规则, setting `pool-rules`): caps and clocks per role and per person, and who may
// own customers at all (active sales and managers).
import { defaultPoolRules, poolLimitsFor, poolRulesSchema, type PoolLimits, type PoolRules } from '@qiao/shared';
import { badRequest, conflict, forbidden } from '../../errors.js';
import { readSetting, writeSetting } from '../../lib/settings.js';
import { findStaffProfile } from '../identity/lookup.service.js';
import { inDepartmentScope } from '../org/scope.js';
import type { CustomerViewer } from './customer-visibility.js';
import { Customer } from './customer.model.js';

export const POOL_RULES_SETTING = 'pool-rules';

export async function readPoolRules(): Promise<PoolRules> {
  return readSetting(POOL_RULES_SETTING, poolRulesSchema, defaultPoolRules);
}

export async function savePoolRules(rules: PoolRules, staffId: string): Promise<PoolRules> {
  await writeSetting(POOL_RULES_SETTING, rules, staffId);
  return readPoolRules();
}

export type StaffLimits = PoolLimits & { remindDaysBefore: number };

export async function limitsOf(staff: { id: string; role: string }, rules?: PoolRules): Promise<StaffLimits> {
  return poolLimitsFor(rules ?? (await readPoolRules()), staff);
}

/** Customers a person owns now (an indexed equality and count). */
export async function countOwned(staffId: string): Promise<number> {
  return Customer.countDocuments({ ownerId: staffId });
}

export const capReached = (maxOwned: number, whose = '您') =>
  conflict('POOL_CAP_REACHED', `${whose}名下的客户已达上限 ${maxOwned} 个，请先放回或转交部分客户`);

export interface OwnerCandidate {
  id: string;
  name: string;
  role: 'sales' | 'manager';
  department: string;
}

/** A staff member who may own customers: active, sales or manager. */
export async function ownerCandidate(staffId: string): Promise<OwnerCandidate> {
  const staff = await findStaffProfile(staffId);
  if (!staff || staff.active === false || (staff.role !== 'sales' && staff.role !== 'manager')) {
    throw badRequest('OWNER_INVALID', '只能交给在职的销售人员或销售经理');
  }
  return { id: String(staff._id), name: staff.name, role: staff.role, department: staff.department ?? '' };
}

/** Whether the viewer may hand customers to (or take them from) this person: admin anyone, managers their subtree. */
export async function managesOwner(viewer: CustomerViewer, owner: { department: string | null }): Promise<boolean> {
  if (viewer.role === 'admin') return true;
  if (viewer.role !== 'manager' || !viewer.department) return false;
  return inDepartmentScope(viewer, owner.department);
}

/** Refuses when the person already owns their cap (0 = no limit). */
export async function assertBelowCap(owner: { id: string; role: string }, adding = 1, whose?: string): Promise<void> {
  const { maxOwned } = await limitsOf(owner);
  if (maxOwned > 0 && (await countOwned(owner.id)) + adding > maxOwned) throw capReached(maxOwned, whose);
}

/**
 * The cap under concurrency (no compare-and-set on FerretDB): after a write gave `ownerId` one more
 * customer, the count is taken again; when parallel moves to the same person went past the cap,
 * `backOut` undoes this write and the move is refused. Of racing moves the last one to write counts
 * all the others' writes, so the count never stays above the cap (docs/only-once.md, 客户上限).
 */
export async function holdCap(ownerId: string, maxOwned: number, backOut: () => Promise<unknown>, whose?: string): Promise<void> {
  if (maxOwned <= 0 || (await countOwned(ownerId)) <= maxOwned) return;
  await backOut();
  throw capReached(maxOwned, whose);
}

/**
 * The owner of a customer being created: a salesperson is its owner; managers and admin may name
 * one (active, in their scope) or leave it in the pool; anyone else leaves it in the pool.
 */
export async function ownerForNewCustomer(viewer: CustomerViewer, ownerId: string | undefined): Promise<OwnerCandidate | null> {
  if (viewer.role === 'sales') {
    // A new customer counts against the cap like a claim: at the cap, claim nothing and create nothing.
    const self = await ownerCandidate(viewer.staffId);
    await assertBelowCap(self);
    return self;
  }
  if (!ownerId) return null;
  if (viewer.role !== 'manager' && viewer.role !== 'admin') throw forbidden('OWNER_NOT_ALLOWED', '只有销售经理或管理员可以指定专管业务员');
  const owner = await ownerCandidate(ownerId);
  if (!(await managesOwner(viewer, owner))) throw forbidden('OWNER_OUT_OF_SCOPE', '只能指定您所在部门或其下级部门的人员');
  await assertBelowCap(owner, 1, owner.name);
  return owner;
}
