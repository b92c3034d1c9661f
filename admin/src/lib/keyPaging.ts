// Key paging on list pages kept in the URL by useListParams: the next page's `cursor` (the list's
// `nextCursor`) rides beside `page`, so paging forward reads no growing skip on the server. Any other
// move — a filter, a search, a jump, another page size — drops it and pages by number.
import type { ListParams } from './useListParams';

/** The cursor the URL holds for this page (only past page 1). */
export function cursorOf<K extends string>(params: ListParams<K | 'cursor'>): string | undefined {
  return params.page > 1 ? params.filters.cursor || undefined : undefined;
}

/** `update` and `paging` of `params` that keep the cursor only when going one page forward. */
export function keyPaging<K extends string>(params: ListParams<K | 'cursor'>, nextCursor: string | null | undefined) {
  type Patch = Parameters<ListParams<K | 'cursor'>['update']>[0];
  // The casts: with a generic K, TypeScript cannot tell that `cursor` is one of the keys.
  const update = (patch: Patch) => params.update({ cursor: '', ...patch } as Patch);
  const onPage = (page: number, pageSize: number) => {
    const forward = page === params.page + 1 && pageSize === params.pageSize;
    params.update({ page, pageSize, cursor: forward ? (nextCursor ?? '') : '' } as Patch);
  };
  return { update, paging: { ...params.paging, onPage } };
}
