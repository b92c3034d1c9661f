import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Card, Empty, Flex, Space, Typography } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import { feedbackSortKeys, type FeedbackAdminItem, type FeedbackAdminListQuery } from '@qiao/shared';
import { listFeedbacks } from '../../api/feedbacks';
import { listAllEngineers } from '../../api/staff';
import { PageHeading } from '../../components/PageHeading';
import { RemoteTable } from '../../components/RemoteTable';
import { FeedbackStatusTag, FeedbackTypeTag, NoticeMissedTag, OverdueTag } from '../../components/StatusTags';
import { formatDateTime, formatShortDateTime, orDash } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useRemote } from '../../lib/useRemote';
import { FeedbackFilters, type FilterPatch } from './FeedbackFilters';
import { DEFAULT_SORT, hasFilters, readListQuery, writeListQuery } from './feedbackListQuery';
import styles from './FeedbackListPage.module.css';

type SortField = 'number' | 'createdAt' | 'requestedBy';
type Sort = FeedbackAdminListQuery['sort'];

function sortOrderOf(sort: Sort, field: SortField): SortOrder {
  if (sort === field) return 'ascend';
  if (sort === `-${field}`) return 'descend';
  return null;
}

function toSort(field: unknown, order: SortOrder | undefined): Sort {
  const key = order === 'descend' ? `-${String(field)}` : `${String(field)}`;
  return order && (feedbackSortKeys as readonly string[]).includes(key) ? (key as Sort) : DEFAULT_SORT;
}

/** 服务请求/工单: every request of the dispatcher's department, filtered, sorted and paged by the server. */
export default function FeedbackListPage() {
  useDocumentTitle('服务请求/工单');
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => readListQuery(searchParams), [searchParams]);
  const queryKey = writeListQuery(query).toString();

  const list = useRemote((signal) => listFeedbacks(query, signal), [queryKey]);
  const engineers = useRemote((signal) => listAllEngineers(signal), []);

  const go = (next: FeedbackAdminListQuery) => {
    const search = writeListQuery(next);
    // Some controls report one change twice (Enter + select/blur): one history entry per real change.
    if (search.toString() !== new URLSearchParams(window.location.search).toString()) setSearchParams(search);
  };
  const applyFilters = (patch: FilterPatch) => go({ ...query, ...patch, page: 1, cursor: undefined });
  const reset = () => go({ ...readListQuery(new URLSearchParams()), pageSize: query.pageSize });

  const onTableChange: TableProps<FeedbackAdminItem>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort') {
      const one = Array.isArray(sorter) ? sorter[0] : sorter;
      go({ ...query, sort: toSort(one?.columnKey, one?.order), page: 1, cursor: undefined });
      return;
    }
    const page = pagination.current ?? 1;
    const pageSize = pagination.pageSize ?? query.pageSize;
    // The next page starts after this one's last row (key paging: deep pages stay fast); any
    // other jump is by page number.
    const nextCursor = page === query.page + 1 && pageSize === query.pageSize ? list.data?.nextCursor : undefined;
    go({ ...query, page, pageSize, cursor: nextCursor ?? undefined });
  };

  const columns: TableColumnsType<FeedbackAdminItem> = [
    {
      title: '单号',
      key: 'number',
      dataIndex: 'number',
      sorter: true,
      sortOrder: sortOrderOf(query.sort, 'number'),
      width: 145,
      fixed: 'left',
      render: (number: string, row) => (
        <Link className={`feedback-number ${styles.number}`} to={`/service/requests/${row.id}`}>
          {number}
        </Link>
      ),
    },
    { title: '类型', dataIndex: 'type', width: 70, render: (_, row) => <FeedbackTypeTag type={row.type} /> },
    {
      title: '状态',
      dataIndex: 'status',
      width: 115,
      render: (_, row) => (
        <Space size={4} wrap>
          <FeedbackStatusTag status={row.status} />
          {row.overdue ? <OverdueTag /> : null}
          {row.noticeMissed ? <NoticeMissedTag /> : null}
        </Space>
      ),
    },
    {
      title: '客户',
      dataIndex: 'customerName',
      width: 150,
      render: (_, row) => (
        <div>
          <div>{row.customerName}</div>
          <Typography.Text type="secondary">{row.contactName}</Typography.Text>
        </div>
      ),
    },
    {
      title: '地区 / 产品线',
      dataIndex: 'region',
      width: 110,
      render: (_, row) => (
        <div>
          <div>{orDash(row.region)}</div>
          <Typography.Text type="secondary">{orDash(row.productLine)}</Typography.Text>
        </div>
      ),
    },
    {
      title: '问题描述',
      dataIndex: 'description',
      ellipsis: true,
      render: (value: string) => <span title={value}>{value}</span>,
    },
    {
      title: '服务工程师',
      dataIndex: 'engineerName',
      width: 100,
      render: (value: string | null) => value ?? <Typography.Text type="secondary">未派工</Typography.Text>,
    },
    {
      title: '要求完成',
      key: 'requestedBy',
      dataIndex: 'requestedBy',
      sorter: true,
      sortOrder: sortOrderOf(query.sort, 'requestedBy'),
      width: 120,
      render: (value: string | null, row) => (
        <Typography.Text type={row.overdue ? 'danger' : undefined} title={formatDateTime(value)}>
          {formatShortDateTime(value)}
        </Typography.Text>
      ),
    },
    {
      title: '提交时间',
      key: 'createdAt',
      dataIndex: 'createdAt',
      sorter: true,
      sortOrder: sortOrderOf(query.sort, 'createdAt'),
      width: 120,
      render: (value: string) => <span title={formatDateTime(value)}>{formatShortDateTime(value)}</span>,
    },
  ];

  const filtered = hasFilters(query);
  return (
    <div>
      <PageHeading area="服务" title="服务请求/工单" />
      <Card>
        <FeedbackFilters
          query={query}
          onChange={applyFilters}
          onReset={reset}
          onRefresh={list.reload}
          engineers={engineers.data ?? []}
          engineersLoading={engineers.loading}
        />
        <RemoteTable<FeedbackAdminItem>
          id="feedback-table"
          size="middle"
          remote={list}
          columns={columns}
          rows={list.error ? [] : (list.data?.items ?? [])}
          rowClassName={(row) => (row.overdue ? `${styles.overdue} feedback-overdue` : '')}
          onChange={onTableChange}
          scroll={{ x: 1040 }}
          showSorterTooltip={{ title: '点击排序' }}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            // A text search is counted only up to a cap: the total is then "at least".
            showTotal: (total) => (list.data?.totalCapped ? `超过 ${total} 条` : `共 ${total} 条`),
          }}
          emptyText={
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                <Flex vertical gap={4}>
                  <span>{list.error ? '服务请求加载失败' : filtered ? '没有符合条件的服务请求' : '暂无服务请求'}</span>
                  {filtered || list.error ? null : (
                    <Typography.Text type="secondary">客户在微信小程序中提交的报修、安装、投诉与咨询会显示在这里</Typography.Text>
                  )}
                </Flex>
              }
            />
          }
        />
      </Card>
    </div>
  );
}
