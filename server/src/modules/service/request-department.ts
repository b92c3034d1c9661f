// Service requests, their follow-ups and work orders carry their customer's department (the scope
// rule reads it there, so lists and reports need no second query). A customer moved to another
// department takes its requests, follow-ups and orders along. Only `department` is written: the
// versioned state changes never touch it.
import { Feedback } from './feedback.model.js';
import { FollowUp } from './follow-up.model.js';
import { WorkOrder } from './work-order.model.js';

export async function moveCustomerRequests(customerId: string, department: string): Promise<void> {
  const requests = await Feedback.find({ customerId }, { _id: 1 }).lean<Array<{ _id: unknown }>>();
  if (requests.length === 0) return;
  await Feedback.updateMany({ customerId }, { $set: { department } });
  const ids = requests.map((request) => String(request._id));
  await FollowUp.updateMany({ feedbackId: { $in: ids } }, { $set: { department } });
  await WorkOrder.updateMany({ feedbackId: { $in: ids } }, { $set: { department } });
}
