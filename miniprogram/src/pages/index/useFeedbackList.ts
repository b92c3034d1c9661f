import Taro from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import type { FeedbackSummary } from '@qiao/shared';
import { listMyFeedbacks } from '../../api/feedbacks';
import { ApiError, NETWORK_ERROR_MESSAGE } from '../../api/request';

export const PAGE_SIZE = 20;

export type ListStatus = 'loading' | 'ready' | 'error';

export interface FeedbackListState {
  status: ListStatus;
  items: FeedbackSummary[];
  total: number;
  /** Last page loaded (0 before the first one). */
  page: number;
  /** Message of the failed first load (status 'error'). */
  error: string | null;
  loadingMore: boolean;
  /** Message of a failed "load more"; the loaded items stay on screen. */
  moreError: string | null;
}

const initialState: FeedbackListState = {
  status: 'loading',
  items: [],
  total: 0,
  page: 0,
  error: null,
  loadingMore: false,
  moreError: null,
};

function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return NETWORK_ERROR_MESSAGE;
}

/** Paged list of the customer's service requests: first load, refresh, load more. */
export function useFeedbackList() {
  const [state, setState] = useState<FeedbackListState>(initialState);
  // Each reload bumps the generation; answers of older requests are dropped.
  const generation = useRef(0);
  const loadingMore = useRef(false);
  // The state of the last render, for callbacks that must not be recreated on every change.
  const latest = useRef(state);
  latest.current = state;

  /** Loads page 1 again. `quiet` keeps the current list on screen (pull-down refresh). */
  const reload = useCallback(async (quiet = false): Promise<void> => {
    const current = ++generation.current;
    loadingMore.current = false;
    if (!quiet) setState({ ...initialState, status: 'loading' });
    try {
      const result = await listMyFeedbacks(1, PAGE_SIZE);
      if (current !== generation.current) return;
      setState({ ...initialState, status: 'ready', items: result.items, total: result.total, page: 1 });
    } catch (error) {
      if (current !== generation.current) return;
      if (quiet && latest.current.status === 'ready') {
        // A failed pull-down refresh keeps the list that is on screen.
        void Taro.showToast({ title: messageOf(error), icon: 'none' });
        return;
      }
      setState({ ...initialState, status: 'error', error: messageOf(error) });
    }
  }, []);

  const loadMore = useCallback(async (): Promise<void> => {
    const prev = latest.current;
    if (loadingMore.current || prev.status !== 'ready' || prev.items.length >= prev.total) return;
    const current = generation.current;
    const nextPage = prev.page + 1;
    setState((s) => ({ ...s, loadingMore: true, moreError: null }));
    loadingMore.current = true;
    try {
      const result = await listMyFeedbacks(nextPage, PAGE_SIZE);
      if (current !== generation.current) return;
      setState((prev) => {
        const known = new Set(prev.items.map((item) => item.id));
        const added = result.items.filter((item) => !known.has(item.id));
        return { ...prev, items: [...prev.items, ...added], total: result.total, page: nextPage, loadingMore: false };
      });
    } catch (error) {
      if (current !== generation.current) return;
      setState((prev) => ({ ...prev, loadingMore: false, moreError: messageOf(error) }));
    } finally {
      if (current === generation.current) loadingMore.current = false;
    }
  }, []);

  return { state, reload, loadMore };
}
