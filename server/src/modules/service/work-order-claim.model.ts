import type { ClaimRecord } from '../../lib/once.js';

/**
 * What a state change stores in each of its version claims (`change:<key>:<version>` in
 * once_claims, see lib/once.ts and state-change.ts). FerretDB has no atomic compare-and-set
 * across connections, but an insert with an existing `_id` always fails: whoever claims
 * `<orderId>:<version>` (or `feedback:<id>:<version>`, `follow-up:<id>:<version>`) first may write
 * that document's next version; everyone else gets 409 CONCURRENT_UPDATE.
 *
 * A claim also carries the whole change (`plan`, the ordered writes as EJSON) so a change
 * interrupted by a crash can be finished by whoever meets it later.
 */
export interface ChangeData {
  kind: typeof CHANGE_KIND;
  /** Random per change: the claims of one change share it. */
  change: string;
  action: string;
  /** Staff id, WeChat user id or 'system'. */
  by: string;
  /** Every version key of the change: all claimed by it = the change is committed. */
  keys: string[];
  plan: string;
}

export const CHANGE_KIND = 'state-change';

export function changeData(record: Pick<ClaimRecord, 'data'>): ChangeData | null {
  const data = record.data;
  if (!data || data.kind !== CHANGE_KIND || typeof data.change !== 'string' || typeof data.plan !== 'string' || !Array.isArray(data.keys)) return null;
  return data as unknown as ChangeData;
}

/** The claims among `records` that belong to `change`. */
export const claimRecordsOf = (records: ClaimRecord[], change: string) => records.filter((record) => changeData(record)?.change === change);
