// Read-only counts of customer ownership (客户公海) for the workbench and the menu badges
// (modules/workbench). Flat equalities on indexed fields plus one date range: counted in SQL.
import { Customer } from './customer.model.js';

/**
 * "A reminder was sent" as a two-sided range, `EPOCH < poolReminderAt < FAR_FUTURE`: a `$ne: null`
 * is not pushed down, and SQLite walks an index for a range bounded on both sides only.
 */
const EPOCH = new Date(0);
const FAR_FUTURE = new Date('9999-12-31T00:00:00.000Z');

/** Customers a salesperson owns. */
export const countOwnedCustomers = (staffId: string) => Customer.countDocuments({ ownerId: staffId });

/**
 * Customers that return to the pool soon: the daily job warns the owner N days before
 * (`poolReminderAt`), and a follow-up or a deal clears the warning. `where` is an owner
 * (`{ownerId}`), a department condition or nothing (admin): indexes `{ownerId, createdAt}`,
 * `{department, poolReminderAt}`, `{poolReminderAt}`.
 */
export const returningCustomersFilter = (where: Record<string, unknown>) => ({ ...where, poolReminderAt: { $gt: EPOCH, $lt: FAR_FUTURE } });
export const countReturningCustomers = (where: Record<string, unknown>) => Customer.countDocuments(returningCustomersFilter(where));

/** Customers in the pool (no owner), optionally within a department condition. */
export const countPoolCustomers = (where: Record<string, unknown> = {}) => Customer.countDocuments({ ...where, ownerId: null });
