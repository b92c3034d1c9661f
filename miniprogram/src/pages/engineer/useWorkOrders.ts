import { useCallback, useRef, useState } from 'react';
import type { WorkOrderSummary } from '@qiao/shared';
import { errorMessage } from '../../api/request';
import { listWorkOrders, type WorkOrderTab } from '../../api/work-orders';

const PAGE_SIZE = 20;

export interface WorkOrderListState {
  tab: WorkOrderTab;
  status: 'loading' | 'ready' | 'error';
  items: WorkOrderSummary[];
  total: number;
  page: number;
  error: string | null;
  loadingMore: boolean;
  moreError: string | null;
}

const initial = (tab: WorkOrderTab): WorkOrderListState => ({
  tab,
  status: 'loading',
  items: [],
  total: 0,
  page: 0,
  error: null,
  loadingMore: false,
  moreError: null,
});

/** The engineer's orders of one tab, paged; switching tabs drops answers for the old tab. */
export function useWorkOrders() {
  const [state, setState] = useState<WorkOrderListState>(initial('pending'));
  const generation = useRef(0);
  const latest = useRef(state);
  latest.current = state;

  const load = useCallback(async (tab: WorkOrderTab, quiet = false): Promise<void> => {
    const current = ++generation.current;
    if (!quiet) setState(initial(tab));
    try {
      const result = await listWorkOrders(tab, 1, PAGE_SIZE);
      if (current !== generation.current) return;
      setState({ ...initial(tab), status: 'ready', items: result.items, total: result.total, page: 1 });
    } catch (error) {
      if (current !== generation.current) return;
      setState({ ...initial(tab), status: 'error', error: errorMessage(error) });
    }
  }, []);

  const loadMore = useCallback(async (): Promise<void> => {
    const prev = latest.current;
    if (prev.loadingMore || prev.status !== 'ready' || prev.items.length >= prev.total) return;
    const current = generation.current;
    setState((s) => ({ ...s, loadingMore: true, moreError: null }));
    try {
      const result = await listWorkOrders(prev.tab, prev.page + 1, PAGE_SIZE);
      if (current !== generation.current) return;
      setState((s) => {
        const known = new Set(s.items.map((item) => item.id));
        const added = result.items.filter((item) => !known.has(item.id));
        return { ...s, items: [...s.items, ...added], total: result.total, page: prev.page + 1, loadingMore: false };
      });
    } catch (error) {
      if (current !== generation.current) return;
      setState((s) => ({ ...s, loadingMore: false, moreError: errorMessage(error) }));
    }
  }, []);

  return { state, load, loadMore };
}
