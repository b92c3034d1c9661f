// Read-only counts of customer ownership (客户公海) for the workbench and the menu badges
// (modules/workbench). Flat equalities on indexed fields plus one date range: counted in SQL.
import { Customer } from './customer.model.js';

/** Before any reminder: `poolReminderAt > EPOCH` is "a reminder was sent" as a range (a `$ne: null` is not pushed down). */
const EPOCH = new Date(0);

/** Customers a salesperson owns. */
export const countOwnedCustomers = (staffId: string) => Customer.countDocuments({ ownerId: staffId });

/**
 * Customers that return to the pool soon: the daily job warns the owner N days before
 * (`poolReminderAt`), and a follow-up or a deal clears the warning. `where` is an owner
 * (`{ownerId}`) or a department condition.
 */
export const returningCustomersFilter = (where: Record<string, unknown>) => ({ ...where, poolReminderAt: { $gt: EPOCH } });
export const countReturningCustomers = (where: Record<string, unknown>) => Customer.countDocuments(returningCustomersFilter(where));

/** Customers in the pool (no owner), optionally within a department condition. */
export const countPoolCustomers = (where: Record<string, unknown> = {}) => Customer.countDocuments({ ...where, ownerId: null });
