// A process's copy of a small, rarely written setting that every Official Account message reads
// (the auto-reply rules, the published menu). Writes through this process drop the copy at once;
// writes through another process are seen after `ttlMs`.

export interface ReadCache<T> {
  get(): Promise<T>;
  /** Call after every write of what `load` reads. */
  invalidate(): void;
}

export function readCache<T>(load: () => Promise<T>, ttlMs: number): ReadCache<T> {
  let cached: { value: Promise<T>; until: number } | null = null;
  // Bumped by each write: a read that started before a write is not kept as the copy.
  let generation = 0;
  return {
    async get() {
      if (cached && cached.until > Date.now()) return cached.value;
      const started = generation;
      const entry = { value: load(), until: Date.now() + ttlMs };
      cached = entry;
      try {
        return await entry.value;
      } catch (error) {
        if (cached === entry) cached = null;
        throw error;
      } finally {
        if (generation !== started && cached === entry) cached = null;
      }
    },
    invalidate() {
      generation += 1;
      cached = null;
    },
  };
}
