// Signed file links: `<img>` tags cannot send a bearer token, so answers that show a photo carry a
// relative URL `/api/v1/files/<id>?exp=<unix seconds>&sig=<HMAC-SHA256, base64url>` valid 1 hour.
// The HMAC key is random, created once and kept in the database (`settings`, _id
// 'file-signing-key', lib/settings.ts) so that every server process signs alike.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { storedSecret } from '../../lib/settings.js';

export const FILE_LINK_TTL_SECONDS = 3600;
const KEY_ID = 'file-signing-key';

let signingKey: Buffer | undefined;

/** Load (or create, once for all processes) the signing key. Called at boot, before serving. */
export async function loadFileSigningKey(): Promise<void> {
  signingKey = await storedSecret(KEY_ID);
}

function key(): Buffer {
  if (!signingKey) throw new Error('file signing key not loaded: call loadFileSigningKey() at boot');
  return signingKey;
}

const signature = (id: string, exp: number) => createHmac('sha256', key()).update(`${id}.${exp}`).digest('base64url');

/** A relative signed URL for the file, valid FILE_LINK_TTL_SECONDS from `now`. */
export function fileUrl(id: string, now: Date = new Date()): string {
  const exp = Math.floor(now.getTime() / 1000) + FILE_LINK_TTL_SECONDS;
  return `/api/v1/files/${id}?exp=${exp}&sig=${signature(id, exp)}`;
}

/** True when `sig` is the signature of `id` + `exp` (constant-time) and `exp` is still ahead. */
export function verifyFileLink(id: string, exp: string, sig: string, now: Date = new Date()): boolean {
  if (!/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return false;
  const expSeconds = Number(exp);
  const expected = Buffer.from(signature(id, expSeconds));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  return expSeconds * 1000 > now.getTime();
}
