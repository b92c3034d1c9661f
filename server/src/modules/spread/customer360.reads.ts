// What the customer 360 view reads of the share paths: how far each of its contacts spread the
// campaigns they received (shares, views brought, leads). Read-only: node ids are the contacts'
// derived share tokens, so this is one `_id` lookup per campaign, never a scan.
import { flushCounters } from './counters.js';
import { shareTokensOfOwners } from './lookup.service.js';
import { ShareNode, type ShareNodeDoc } from './share-node.model.js';

export interface ContactShareStats {
  campaignId: string;
  contactId: string;
  shares: number;
  views: number;
  uniqueVisitors: number;
  subtreeViews: number;
  leads: number;
}

type NodeRow = Pick<ShareNodeDoc, '_id' | 'campaignId' | 'ownerKind' | 'ownerId' | 'shares' | 'views' | 'uniqueVisitors' | 'subtreeViews' | 'subtreeLeads'>;

/** The share nodes of `contactIds` in each of `campaignIds` that exist (a contact who never opened or passed on a campaign has none). */
export async function contactShareStats(campaignIds: string[], contactIds: string[]): Promise<ContactShareStats[]> {
  if (campaignIds.length === 0 || contactIds.length === 0) return [];
  const owners = contactIds.map((id) => ({ kind: 'contact' as const, id }));
  const tokens = (await Promise.all([...new Set(campaignIds)].map((campaignId) => shareTokensOfOwners(campaignId, owners)))).flat();
  if (tokens.length === 0) return [];
  await flushCounters();
  const docs = await ShareNode.find(
    { _id: { $in: tokens } },
    { campaignId: 1, ownerKind: 1, ownerId: 1, shares: 1, views: 1, uniqueVisitors: 1, subtreeViews: 1, subtreeLeads: 1 },
  ).lean<NodeRow[]>();
  const wanted = new Set(contactIds);
  return docs
    .filter((doc) => doc.ownerKind === 'contact' && wanted.has(doc.ownerId))
    .map((doc) => ({
      campaignId: doc.campaignId,
      contactId: doc.ownerId,
      shares: doc.shares ?? 0,
      views: doc.views ?? 0,
      uniqueVisitors: doc.uniqueVisitors ?? 0,
      subtreeViews: doc.subtreeViews ?? 0,
      leads: doc.subtreeLeads ?? 0,
    }));
}
