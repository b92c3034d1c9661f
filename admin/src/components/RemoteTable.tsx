import type { ReactNode } from 'react';
import { Empty, Table, type TableProps } from 'antd';
import type { Remote } from '../lib/useRemote';
import { ErrorAlert } from './ErrorAlert';

export interface RemoteTableProps<T> extends Omit<TableProps<T>, 'dataSource' | 'loading' | 'locale'> {
  /** The load behind the rows: its error above the table (with 重试), its loading on the table. */
  remote: Pick<Remote<unknown>, 'error' | 'loading' | 'reload'>;
  rows: readonly T[];
  emptyText: ReactNode;
  /** Title of the load error (default 加载失败). */
  errorTitle?: string;
}

/** A table of loaded rows; by default small, keyed by id and not paged. */
export function RemoteTable<T extends object>({ remote, rows, emptyText, errorTitle, ...table }: RemoteTableProps<T>) {
  return (
    <>
      <ErrorAlert error={remote.error} onRetry={remote.reload} title={errorTitle} />
      <Table<T> rowKey="id" size="small" pagination={false} {...table} loading={remote.loading} dataSource={rows} locale={{ emptyText }} />
    </>
  );
}

export interface PagedTableProps<T> extends Omit<RemoteTableProps<T>, 'remote' | 'rows' | 'emptyText' | 'onChange' | 'pagination'> {
  /** One page of the list, as the server answers it. */
  list: Pick<Remote<{ items: T[]; total: number; totalCapped?: boolean }>, 'data' | 'error' | 'loading' | 'reload'>;
  current: number;
  pageSize: number;
  onPage: (page: number, pageSize: number) => void;
  /** What an empty page says once loaded (a failed load says 加载失败). */
  emptyText: ReactNode;
  /** Counted in the total: 共 N 条 (超过 N 条 when the server capped the count of a search). */
  unit?: string;
}

/** One page of a list paged by the server, with its total and a page size changer. */
export function PagedTable<T extends object>({ list, current, pageSize, onPage, emptyText, unit = '条', ...table }: PagedTableProps<T>) {
  return (
    <RemoteTable<T>
      size="middle"
      {...table}
      remote={list}
      rows={list.error ? [] : (list.data?.items ?? [])}
      emptyText={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={list.error ? '加载失败' : emptyText} />}
      onChange={(pagination) => onPage(pagination.current ?? 1, pagination.pageSize ?? pageSize)}
      pagination={{ current, pageSize, total: list.data?.total ?? 0, showSizeChanger: true, showTotal: (total) => (list.data?.totalCapped ? `超过 ${total} ${unit}` : `共 ${total} ${unit}`) }}
    />
  );
}
