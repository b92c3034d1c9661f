import type { ReactNode } from 'react';
import { Button, Card } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ListParams } from '../lib/useListParams';
import { ListFilters, SearchInput, type SearchInputProps } from './ListFilters';
import { PageHeading } from './PageHeading';
import { PagedTable, type PagedTableProps } from './RemoteTable';

export interface ListPageProps<T> {
  /** The area shown in grey before the title (营销 / …). */
  area: string;
  title: string;
  /** The primary 新建 button on the right of the title. */
  create?: { id: string; label: string; onClick: () => void };
  /** Anything else on the right of the title, before 新建. */
  extra?: ReactNode;
  /** The page's search, paging and the update of its search (useListParams). */
  params: Pick<ListParams<never>, 'q' | 'paging'> & { update: (patch: { q: string }) => void };
  /** The search box, searching `params.q`. */
  search: Omit<SearchInputProps, 'value' | 'onSearch'>;
  /** Further filters, after the search box. */
  filters?: ReactNode;
  /** The table, but for its paging (from `params`) and what it says when empty. */
  table: Omit<PagedTableProps<T>, 'current' | 'pageSize' | 'onPage' | 'emptyText'>;
  /**
   * What an empty page says: `没有符合条件的<noun>` while filtered (noun: the title unless given),
   * otherwise `text`.
   */
  empty: { filtered: boolean; text: string; noun?: string };
  /** The page's drawers and modals. */
  children?: ReactNode;
}

/** A list page: title with 新建, a card with the search and filters above a paged table. */
export function ListPage<T extends object>({ area, title, create, extra, params, search, filters, table, empty, children }: ListPageProps<T>) {
  const createButton = create ? (
    <Button id={create.id} type="primary" icon={<PlusOutlined />} onClick={create.onClick}>
      {create.label}
    </Button>
  ) : null;
  return (
    <div>
      <PageHeading
        area={area}
        title={title}
        extra={
          extra || createButton ? (
            <>
              {extra}
              {createButton}
            </>
          ) : null
        }
      />
      <Card>
        <ListFilters>
          <SearchInput {...search} value={params.q} onSearch={(value) => params.update({ q: value })} />
          {filters}
        </ListFilters>
        <PagedTable<T> {...table} {...params.paging} emptyText={empty.filtered ? `没有符合条件的${empty.noun ?? title}` : empty.text} />
      </Card>
      {children}
    </div>
  );
}
