// Who sees which customers (数据权限), the one rule every customer read applies — lists, details,
// the 360 view, contacts, product archives, search, reports, exports:
//   admin: all; manager, dispatcher (and marketer): their department subtree (org/scope.ts);
//   sales: the customers they own or collaborate on — pool customers only through /pool;
//   engineer: none.
import type { StaffRole } from '@qiao/shared';
import mongoose from 'mongoose';
import { departmentScopeIds, filterFor, idsInclude } from '../org/scope.js';
import { Customer } from './customer.model.js';
import { collaboratingCustomerIds } from './ownership.service.js';

export { ownershipHistory, recordOwnershipEvent, recordOwnershipEvents } from './ownership.service.js';

/** A StaffPrincipal fits. */
export interface CustomerViewer {
  staffId: string;
  role: StaffRole;
  department: string | null;
}

export interface VisibleCustomerFields {
  ownerId?: string | null;
  collaboratorIds?: string[] | null;
  department?: string | null;
}

export interface CustomerVisibility {
  /** A filter on `customers` selecting what the viewer sees; null: nothing ({} for admin). */
  filter: Record<string, unknown> | null;
  canSee(doc: VisibleCustomerFields): boolean;
}

/** Whether a sales rule applies (own + collaborator) rather than the department scope. */
export const seesOwnCustomersOnly = (viewer: Pick<CustomerViewer, 'role'>) => viewer.role === 'sales';

export async function customerVisibility(viewer: CustomerViewer): Promise<CustomerVisibility> {
  if (viewer.role === 'engineer') return { filter: null, canSee: () => false };
  if (seesOwnCustomersOnly(viewer)) {
    const me = viewer.staffId;
    const canSee = (doc: VisibleCustomerFields) => doc.ownerId === me || (doc.collaboratorIds ?? []).includes(me);
    const shared = await collaboratingCustomerIds(me);
    // Owned only: one indexed equality (sort and paging pushed down too).
    if (shared.length === 0) return { filter: { ownerId: me }, canSee };
    // Owned or shared: "owner = me OR collaborator = me" as ids — an `$or` would scan the collection.
    const owned = await Customer.find({ ownerId: me }, { _id: 1 }).lean<Array<{ _id: mongoose.Types.ObjectId }>>();
    const ids = new Set([...owned.map((doc) => String(doc._id)), ...shared]);
    return { filter: { _id: { $in: [...ids].map((id) => new mongoose.Types.ObjectId(id)) } }, canSee };
  }
  const ids = await departmentScopeIds(viewer);
  return { filter: filterFor(ids), canSee: (doc) => idsInclude(ids, doc.department) };
}
