// The access token read through a few-second copy: one store read per interval however many calls,
// saves written through at once, another process's token seen after the interval, and a refused
// copy replaced by the current token without forcing a new one (which would retire everyone's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheTokenStore, createMemoryTokenStore, createOfficialAccountClient, type TokenStore } from '../../src/wechat/api/index.js';
import { startSandbox } from '../../src/wechat/sandbox/index.js';

function countingStore(): TokenStore & { reads: number; saves: number } {
  const inner = createMemoryTokenStore();
  const store = {
    reads: 0,
    saves: 0,
    async get(appid: string) {
      store.reads += 1;
      return inner.get(appid);
    },
    async save(appid: string, token: string, expiresAt: Date) {
      store.saves += 1;
      await inner.save(appid, token, expiresAt);
    },
  };
  return store;
}

describe('cacheTokenStore', () => {
  it('reads the store once per interval, however many callers, and writes every save through', async () => {
    let t = 0;
    const store = countingStore();
    await store.save('wxa', 'T1', new Date(7_200_000));
    const cached = cacheTokenStore(store, { ttlMs: 5_000, now: () => t });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => cached.get('wxa')));
    expect(tokens.every((s) => s?.token === 'T1')).toBe(true);
    expect(store.reads).toBe(1);
    // Another process saved T2: seen once the copy is older than the interval.
    await store.save('wxa', 'T2', new Date(7_200_000));
    t = 4_999;
    expect((await cached.get('wxa'))?.token).toBe('T1');
    t = 5_000;
    expect((await cached.get('wxa'))?.token).toBe('T2');
    expect(store.reads).toBe(2);
    // Our own save is the copy at once, and is in the store for the others.
    await cached.save('wxa', 'T3', new Date(7_200_000));
    expect((await cached.get('wxa'))?.token).toBe('T3');
    expect((await store.get('wxa'))?.token).toBe('T3');
  });
});

describe('a client reading through the copy', () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  const OA = { appid: 'wxcachetest', secret: 'cache-secret' };
  beforeAll(async () => {
    sandbox = await startSandbox({ apps: [{ ...OA, kind: 'oa' }] });
    sandbox.sandbox.registerUser({ openid: 'o-cache', subscribed: true });
  });
  afterAll(async () => sandbox?.close());

  it('makes one store read for many calls, and recovers from a token another process retired without forcing', async () => {
    const shared = countingStore();
    const mine = createOfficialAccountClient({ baseUrl: sandbox.url, ...OA, tokenStore: cacheTokenStore(shared) });
    for (let i = 0; i < 10; i += 1) await mine.getUserInfo('o-cache');
    expect(shared.reads).toBeLessThanOrEqual(2);
    // Another process forces a new stable token: ours is retired at once (40001).
    const other = createOfficialAccountClient({ baseUrl: sandbox.url, ...OA, tokenStore: shared });
    await other.refreshAccessToken(await mine.getAccessToken());
    const grantsBefore = sandbox.sandbox.calls().filter((call) => call.path === '/cgi-bin/stable_token').length;
    await expect(mine.getUserInfo('o-cache')).resolves.toMatchObject({ openid: 'o-cache' });
    expect(sandbox.sandbox.calls().filter((call) => call.errcode === 40001)).toHaveLength(1);
    // One plain stable_token call answered the current token: the other process's token still works.
    expect(sandbox.sandbox.calls().filter((call) => call.path === '/cgi-bin/stable_token').length).toBe(grantsBefore + 1);
    await expect(other.getUserInfo('o-cache')).resolves.toMatchObject({ openid: 'o-cache' });
  });
});
