// The pool clock (客户公海): a follow-up record or a deal restarts it, so an owned customer that is
// being worked does not return to the pool. Called by the sales modules (follow-ups, opportunities).
import { isObjectIdString } from '../../lib/db.js';
import { Customer } from './customer.model.js';

/** A follow-up (跟进记录) on the customer at `at`: the clock restarts and a sent reminder no longer counts. */
export async function noteCustomerFollowUp(customerId: string, at: Date): Promise<void> {
  if (!isObjectIdString(customerId)) return;
  await Customer.updateOne({ _id: customerId }, { $max: { lastFollowUpAt: at }, $set: { poolReminderAt: null } });
}

/** A deal won (成交) with the customer at `at`: the clock restarts; won customers are exempt from the return. */
export async function noteCustomerDeal(customerId: string, at: Date): Promise<void> {
  if (!isObjectIdString(customerId)) return;
  await Customer.updateOne({ _id: customerId }, { $max: { lastDealAt: at }, $set: { poolReminderAt: null } });
}
