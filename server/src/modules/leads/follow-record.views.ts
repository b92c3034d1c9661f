// Follow-up records as the API shows them: with the author's name and the lead's or customer's name.
import type { FollowRecordView } from '@qiao/shared';
import { customerOwnerCards } from '../customers/customer360.reads.js';
import { staffByIds } from '../identity/lookup.service.js';
import type { FollowRecordDoc } from './follow-record.model.js';
import { Lead, type LeadDoc } from './lead.model.js';

/** A lead name for lists: the company, else the person. */
const leadName = (lead: Pick<LeadDoc, 'company' | 'name'>) => (lead.company ? `${lead.company}（${lead.name}）` : lead.name);

export async function toViews(docs: FollowRecordDoc[]): Promise<FollowRecordView[]> {
  const leadIds = [...new Set(docs.flatMap((doc) => (doc.leadId ? [doc.leadId] : [])))];
  const [authors, customers, leads] = await Promise.all([
    staffByIds(docs.map((doc) => doc.authorId)),
    customerOwnerCards(docs.map((doc) => doc.customerId)),
    leadIds.length > 0 ? Lead.find({ _id: { $in: leadIds } }, { company: 1, name: 1 }).lean<Array<Pick<LeadDoc, '_id' | 'company' | 'name'>>>() : [],
  ]);
  const leadNames = new Map(leads.map((lead) => [String(lead._id), leadName(lead)]));
  return docs.map((doc) => ({
    id: String(doc._id),
    target: doc.target as FollowRecordView['target'],
    leadId: doc.leadId ?? null,
    customerId: doc.customerId ?? null,
    targetName: doc.leadId ? (leadNames.get(doc.leadId) ?? '') : (customers.get(doc.customerId ?? '')?.name ?? ''),
    kind: doc.kind as FollowRecordView['kind'],
    note: doc.note,
    nextStep: doc.nextStep ?? '',
    nextAt: doc.nextAt ? doc.nextAt.toISOString() : null,
    authorId: doc.authorId,
    authorName: authors.get(doc.authorId)?.name ?? '',
    department: doc.department ?? '',
    createdAt: doc.createdAt.toISOString(),
    latest: doc.latest !== false,
  }));
}
