import Taro from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import type { Paged } from '@qiao/shared';
import { errorMessage } from '../api/request';

export const PAGE_SIZE = 20;

export interface PagedListState<T, Q> {
  /** What is listed (e.g. the engineer's tab). */
  query: Q;
  status: 'loading' | 'ready' | 'error';
  items: T[];
  total: number;
  /** Last page loaded (0 before the first one). */
  page: number;
  /** Message of the failed first load (status 'error'). */
  error: string | null;
  loadingMore: boolean;
  /** Message of a failed "load more"; the loaded items stay on screen. */
  moreError: string | null;
}

/** One page of the list; a module-level function, so the hook's callbacks stay the same. */
export type PageFetcher<T, Q> = (query: Q, page: number, pageSize: number) => Promise<Paged<T>>;

const initial = <T, Q>(query: Q): PagedListState<T, Q> => ({
  query,
  status: 'loading',
  items: [],
  total: 0,
  page: 0,
  error: null,
  loadingMore: false,
  moreError: null,
});

/**
 * A paged list: first load (of a query), quiet refresh, load more. Each load bumps the generation;
 * answers to older requests are dropped. With `keepOnQuietError` a failed quiet refresh keeps the
 * list on screen and says why in a toast.
 */
export function usePagedList<T extends { id: string }, Q>(fetchPage: PageFetcher<T, Q>, firstQuery: Q, keepOnQuietError = false) {
  const [state, setState] = useState<PagedListState<T, Q>>(() => initial(firstQuery));
  const generation = useRef(0);
  const loadingMore = useRef(false);
  // The state of the last render, for callbacks that must not be recreated on every change.
  const latest = useRef(state);
  latest.current = state;

  /** Loads page 1 of `query`. `quiet` keeps the current list on screen (pull-down refresh). */
  const load = useCallback(
    async (query: Q, quiet = false): Promise<void> => {
      const current = ++generation.current;
      loadingMore.current = false;
      if (!quiet) setState(initial(query));
      try {
        const result = await fetchPage(query, 1, PAGE_SIZE);
        if (current !== generation.current) return;
        setState({ ...initial<T, Q>(query), status: 'ready', items: result.items, total: result.total, page: 1 });
      } catch (error) {
        if (current !== generation.current) return;
        if (keepOnQuietError && quiet && latest.current.status === 'ready') {
          void Taro.showToast({ title: errorMessage(error), icon: 'none' });
          return;
        }
        setState({ ...initial<T, Q>(query), status: 'error', error: errorMessage(error) });
      }
    },
    [fetchPage, keepOnQuietError],
  );

  const loadMore = useCallback(async (): Promise<void> => {
    const prev = latest.current;
    if (loadingMore.current || prev.status !== 'ready' || prev.items.length >= prev.total) return;
    const current = generation.current;
    const nextPage = prev.page + 1;
    setState((s) => ({ ...s, loadingMore: true, moreError: null }));
    loadingMore.current = true;
    try {
      const result = await fetchPage(prev.query, nextPage, PAGE_SIZE);
      if (current !== generation.current) return;
      setState((s) => {
        const known = new Set(s.items.map((item) => item.id));
        const added = result.items.filter((item) => !known.has(item.id));
        return { ...s, items: [...s.items, ...added], total: result.total, page: nextPage, loadingMore: false };
      });
    } catch (error) {
      if (current !== generation.current) return;
      setState((s) => ({ ...s, loadingMore: false, moreError: errorMessage(error) }));
    } finally {
      if (current === generation.current) loadingMore.current = false;
    }
  }, [fetchPage]);

  return { state, load, loadMore };
}
