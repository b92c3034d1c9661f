// The owners' caps (公海规则 最大客户数) in an import: a group whose owner (专管业务员) would pass their
// cap is rejected, counted in the report like any bad row. Checked before a batch is written (the
// owner's customers now plus the batch's earlier groups) and again after (parallel claims,
// transfers or another import may have filled the cap meanwhile): the excess groups — the last
// ones of the batch — are rolled back and rejected (docs/only-once.md, 客户上限).
import { countOwned, limitsOf } from '../customers/pool-rules.js';
import type { CustomerGroup } from './rows.js';

export interface OwnedPlacement {
  ownerId: string | null;
  ownerRole: string;
  department: string;
}

export const capReason = (maxOwned: number) => `超出该业务员可拥有的客户上限（${maxOwned} 个）`;

function reject(group: CustomerGroup, maxOwned: number): void {
  const list = group.errors.get(group.ownerRow) ?? [];
  list.push(capReason(maxOwned));
  group.errors.set(group.ownerRow, list);
}

/** Each owner's cap (0: none), read once per batch. */
async function capsOf(groups: CustomerGroup[], placements: Map<number, OwnedPlacement>): Promise<Map<string, number>> {
  const caps = new Map<string, number>();
  for (const group of groups) {
    const placement = placements.get(group.index);
    if (!placement?.ownerId || caps.has(placement.ownerId)) continue;
    caps.set(placement.ownerId, (await limitsOf({ id: placement.ownerId, role: placement.ownerRole })).maxOwned);
  }
  return caps;
}

/** Before writing: rejects the valid groups that would take their owner past the cap. */
export async function rejectOverCap(groups: CustomerGroup[], placements: Map<number, OwnedPlacement>): Promise<void> {
  const valid = groups.filter((g) => g.errors.size === 0);
  const caps = await capsOf(valid, placements);
  const owned = new Map<string, number>();
  for (const group of valid) {
    const ownerId = placements.get(group.index)?.ownerId;
    const cap = ownerId ? (caps.get(ownerId) ?? 0) : 0;
    if (!ownerId || cap <= 0) continue;
    const count = owned.get(ownerId) ?? (await countOwned(ownerId));
    if (count + 1 > cap) reject(group, cap);
    else owned.set(ownerId, count + 1);
  }
}

/**
 * After writing: the written groups (in file order) of owners now above their cap, the last ones
 * first, as many as the count is over — marked rejected; the caller rolls them back.
 */
export async function overCapAfterWrite(written: CustomerGroup[], placements: Map<number, OwnedPlacement>): Promise<CustomerGroup[]> {
  const caps = await capsOf(written, placements);
  const excess: CustomerGroup[] = [];
  for (const [ownerId, cap] of caps) {
    if (cap <= 0) continue;
    const over = (await countOwned(ownerId)) - cap;
    if (over <= 0) continue;
    const mine = written.filter((g) => placements.get(g.index)?.ownerId === ownerId);
    for (const group of mine.slice(-over)) {
      reject(group, cap);
      excess.push(group);
    }
  }
  return excess;
}
