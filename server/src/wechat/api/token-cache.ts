// The shared access token, read from its store at most every few seconds by this process.
// Without it every WeChat API call begins with a database read (a campaign's 100 messages a second
// made 100 reads). The store stays the one shared place (co-wechat-api's getToken/saveToken
// contract): a save goes through to it at once, and a token another process saved is seen here
// within `ttlMs`. Meanwhile the copy normally still works (a renewal keeps the previous token valid
// 5 minutes); if it was retired (another process forced a refresh), WeChat answers 40001 and the
// client asks stable_token without force, which hands out the current token — no cascade of forces.
import type { StoredToken, TokenStore } from './token-store.js';

/** How long a token read from the store is used without reading it again. */
export const TOKEN_CACHE_MS = 5_000;

export function cacheTokenStore(store: TokenStore, options: { ttlMs?: number; now?: () => number } = {}): TokenStore {
  const ttlMs = options.ttlMs ?? TOKEN_CACHE_MS;
  const now = options.now ?? Date.now;
  const copies = new Map<string, { stored: StoredToken | null; readAt: number }>();
  // Concurrent callers of an expired copy share one read.
  const reads = new Map<string, Promise<StoredToken | null>>();
  return {
    async get(appid) {
      const copy = copies.get(appid);
      if (copy && now() - copy.readAt < ttlMs) return copy.stored && { ...copy.stored };
      let read = reads.get(appid);
      if (!read) {
        const readAt = now();
        read = store
          .get(appid)
          .then((stored) => {
            // A save made while reading is newer than what was read.
            if ((copies.get(appid)?.readAt ?? -Infinity) <= readAt) copies.set(appid, { stored, readAt });
            return stored;
          })
          .finally(() => reads.delete(appid));
        reads.set(appid, read);
      }
      const stored = await read;
      return stored && { ...stored };
    },
    async save(appid, token, expiresAt) {
      await store.save(appid, token, expiresAt);
      copies.set(appid, { stored: { token, expiresAt }, readAt: now() });
    },
  };
}
