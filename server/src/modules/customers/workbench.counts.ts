// Read-only counts of customer ownership (客户公海) for the workbench and the menu badges
// (modules/workbench). Flat equalities on indexed fields plus one date range: counted in SQL.
import { Customer, type CustomerDoc } from './customer.model.js';
import { reminderStands, withPoolClocks } from './pool-clock.service.js';

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
 * (`poolReminderAt`), and a later follow-up or deal (the pool clock) clears the warning. `where`
 * is an owner (`{ownerId}`), a department condition or nothing (admin): indexes `{ownerId, createdAt}`,
 * `{department, poolReminderAt}`, `{poolReminderAt}`.
 */
export const returningCustomersFilter = (where: Record<string, unknown>) => ({ ...where, poolReminderAt: { $gt: EPOCH, $lt: FAR_FUTURE } });
/** Of the reminded customers (an indexed read; a few), those not followed up or won since (pool-clock.service.ts). */
export async function countReturningCustomers(where: Record<string, unknown>): Promise<number> {
  const reminded = await Customer.find(returningCustomersFilter(where), { _id: 1, poolReminderAt: 1, lastFollowUpAt: 1, lastDealAt: 1 }).lean<CustomerDoc[]>();
  return (await withPoolClocks(reminded)).filter(reminderStands).length;
}

/** Customers in the pool (no owner), optionally within a department condition. */
export const countPoolCustomers = (where: Record<string, unknown> = {}) => Customer.countDocuments({ ...where, ownerId: null });
