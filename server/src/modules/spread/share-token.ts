// Share tokens derived from (campaign, person): HMAC-SHA256 of `campaignId:kind:id` under a key
// held by the server, so a node's `_id` is known before it exists and "one node per person per
// campaign" is the node's own insert (a duplicate key: already there) — no claim document to read
// or write on the tracking path. The key is random, created once in `settings` (lib/settings.ts,
// 'share-token-key') so every process derives alike; it keeps tokens
// unguessable (knowing someone's id does not give their link).
import { createHmac } from 'node:crypto';
import { storedSecret } from '../../lib/settings.js';

const KEY_ID = 'share-token-key';
let loading: Promise<Buffer> | null = null;
let loaded: Buffer | null = null;

async function loadKey(): Promise<Buffer> {
  loaded = await storedSecret(KEY_ID);
  return loaded;
}

/** The key, loaded on first use (one read per process); a failed load is retried next time. */
function shareTokenKey(): Buffer | Promise<Buffer> {
  if (loaded) return loaded;
  loading ??= loadKey().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

/** The token of `kind:id` in a campaign: 12 base64url characters (72 bits), like the random ones before. */
export async function derivedShareToken(campaignId: string, kind: string, id: string): Promise<string> {
  const key = loaded ?? (await shareTokenKey());
  return createHmac('sha256', key).update(`${campaignId}:${kind}:${id}`).digest('base64url').slice(0, 12);
}
