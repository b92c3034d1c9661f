import { useSearchParams } from 'react-router-dom';

export interface ListParams<K extends string> {
  page: number;
  pageSize: number;
  q: string;
  /** Further string filters kept in the URL ('' when absent). */
  filters: Record<K, string>;
  /** Changes the URL (a new history entry); any change but the page itself goes back to page 1. */
  update: (patch: Partial<{ page: number; pageSize: number; q: string } & Record<K, string>>) => void;
  /** The page and its changes, as PagedTable takes them. */
  paging: { current: number; pageSize: number; onPage: (page: number, pageSize: number) => void };
}

function positiveInt(value: string | null, fallback: number, max: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed >= 1 ? Math.min(parsed, max) : fallback;
}

/** Search, paging and simple filters of a list page, kept in the URL so reload and back work. */
export function useListParams<K extends string = never>(filterKeys: readonly K[] = []): ListParams<K> {
  const [search, setSearch] = useSearchParams();
  const filters = Object.fromEntries(filterKeys.map((key) => [key, search.get(key) ?? ''])) as Record<K, string>;

  const update: ListParams<K>['update'] = (patch) => {
    const next = new URLSearchParams(search);
    const entries = Object.entries(patch) as Array<[string, string | number | undefined]>;
    for (const [key, value] of entries) {
      const isDefault = value === undefined || value === '' || (key === 'page' && value === 1) || (key === 'pageSize' && value === 20);
      if (isDefault) next.delete(key);
      else next.set(key, String(value));
    }
    if (!('page' in patch)) next.delete('page');
    // Some controls report one change twice: one history entry per real change.
    if (next.toString() !== new URLSearchParams(window.location.search).toString()) setSearch(next);
  };

  // The cast: with a generic K, TypeScript cannot tell that no filter is named page or pageSize.
  const onPage = (next: number, size: number) => update({ page: next, pageSize: size } as Parameters<typeof update>[0]);
  const page = positiveInt(search.get('page'), 1, 100_000);
  const pageSize = positiveInt(search.get('pageSize'), 20, 100);
  return {
    page,
    pageSize,
    q: search.get('q') ?? '',
    filters,
    update,
    paging: { current: page, pageSize, onPage },
  };
}
