// What other modules may ask of the spread (share-path) module.
import { randomBytes } from 'node:crypto';
import { isDuplicateKey } from '../../lib/db.js';
import { ShareNode, ShareOwner } from './share-node.model.js';

export type ShareOwnerKind = 'contact' | 'staff' | 'wechat' | 'visitor';
export interface ShareOwnerRef {
  kind: ShareOwnerKind;
  id: string;
}

const ownerKey = (campaignId: string, owner: ShareOwnerRef) => `owner:${campaignId}:${owner.kind}:${owner.id}`;
const newToken = () => randomBytes(9).toString('base64url');

/**
 * The share token of `owner` in a campaign, created on first use with `parent` (null: a root, e.g.
 * a recipient of the campaign or a staff member it was handed out to). Idempotent and safe under
 * concurrency: every caller gets the same token, and a re-run of distribution reuses it.
 */
export async function shareTokenOf(campaignId: string, owner: ShareOwnerRef, parent: string | null = null): Promise<string> {
  const _id = ownerKey(campaignId, owner);
  const existing = await ShareOwner.findById(_id).lean();
  if (existing) return existing.token;
  const token = newToken();
  // The node first, so a claim never points at a missing node; a losing racer removes its own.
  await ShareNode.create({ _id: token, campaignId, ownerKind: owner.kind, ownerId: owner.id, parent });
  try {
    await ShareOwner.create({ _id, token });
    return token;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await ShareNode.deleteOne({ _id: token });
    const winner = await ShareOwner.findById(_id).lean();
    if (!winner) throw error;
    return winner.token;
  }
}
