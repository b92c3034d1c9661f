import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { App as AntApp, Button, Card, Descriptions, Space, Tabs, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { followUpCloseSchema, LOW_RATING_THRESHOLD, type FollowUp } from '@qiao/shared';
import { closeFollowUp, listFollowUps } from '../../api/feedbacks';
import { PageHeading } from '../../components/PageHeading';
import { PagedTable } from '../../components/RemoteTable';
import { formatDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useRemote } from '../../lib/useRemote';
import { NoteActionModal } from './NoteActionModal';

type Tab = 'open' | 'closed';

function Score({ label, value }: { label: string; value: number }) {
  return (
    <div style={{ whiteSpace: 'nowrap' }}>
      <Typography.Text type="secondary">{label} </Typography.Text>
      <Typography.Text strong type={value <= LOW_RATING_THRESHOLD ? 'danger' : undefined}>
        {value}
      </Typography.Text>
    </div>
  );
}

/** 回访: follow-ups opened by low ratings; the dispatcher calls the customer and records the result. */
export default function FollowUpsPage() {
  useDocumentTitle('回访');
  const { message } = AntApp.useApp();
  const [searchParams, setSearchParams] = useSearchParams();
  const tab: Tab = searchParams.get('status') === 'closed' ? 'closed' : 'open';
  const page = Math.max(1, Number(searchParams.get('page')) || 1);
  const [pageSize, setPageSize] = useState(20);
  const [closing, setClosing] = useState<FollowUp | null>(null);

  const list = useRemote((signal) => listFollowUps({ status: tab, page, pageSize }, signal), [tab, page, pageSize]);

  const go = (next: { tab?: Tab; page?: number }) => {
    const params = new URLSearchParams();
    if ((next.tab ?? tab) === 'closed') params.set('status', 'closed');
    const nextPage = next.page ?? 1;
    if (nextPage > 1) params.set('page', String(nextPage));
    setSearchParams(params);
  };

  const columns: TableColumnsType<FollowUp> = [
    {
      title: '单号',
      dataIndex: 'feedbackNumber',
      width: 150,
      render: (number: string, row) => (
        <Link className="feedback-number" to={`/service/requests/${row.feedbackId}`}>
          {number}
        </Link>
      ),
    },
    { title: '客户', dataIndex: 'customerName' },
    {
      title: '联系人',
      dataIndex: 'contactName',
      render: (_, row) => (
        <div>
          <div>{row.contactName}</div>
          <Typography.Text type="secondary" copyable={row.contactPhone ? { tooltips: ['复制', '已复制'] } : false}>
            {row.contactPhone}
          </Typography.Text>
        </div>
      ),
    },
    { title: '服务工程师', dataIndex: 'engineerName', width: 110, render: (value: string | null) => value ?? '—' },
    {
      title: '评分',
      width: 110,
      render: (_, row) => (
        <div>
          <Score label="及时性" value={row.rating.timeliness} />
          <Score label="态度" value={row.rating.attitude} />
          <Score label="质量" value={row.rating.quality} />
        </div>
      ),
    },
    {
      title: '评价内容',
      render: (_, row) => row.rating.comment || <Typography.Text type="secondary">未填写</Typography.Text>,
    },
    tab === 'open'
      ? { title: '评价时间', width: 150, render: (_, row) => formatDateTime(row.rating.ratedAt) }
      : {
          title: '回访记录',
          render: (_, row) => (
            <div>
              <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{row.note}</Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {row.closedBy ?? ''} {formatDateTime(row.closedAt)}
              </Typography.Text>
            </div>
          ),
        },
  ];
  if (tab === 'open') {
    columns.push({
      title: '操作',
      width: 110,
      render: (_, row) => (
        <Button type="link" className="close-follow-up" data-follow-up-id={row.id} onClick={() => setClosing(row)}>
          记录回访
        </Button>
      ),
    });
  }

  return (
    <div>
      <PageHeading area="服务" title="回访" />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => go({ tab: key as Tab })}
          items={[
            { key: 'open', label: '待回访' },
            { key: 'closed', label: '已回访' },
          ]}
        />
        <PagedTable<FollowUp>
          id="follow-up-table"
          columns={columns}
          list={list}
          current={page}
          pageSize={pageSize}
          onPage={(next, size) => {
            if (size !== pageSize) {
              setPageSize(size);
              go({ page: 1 });
            } else go({ page: next });
          }}
          scroll={{ x: 960 }}
          emptyText={tab === 'open' ? '暂无待回访的服务，客户评分较低时会自动生成回访任务' : '暂无回访记录'}
        />
      </Card>
      <NoteActionModal
        open={closing !== null}
        id="follow-up"
        textId="follow-up-note"
        title={`记录回访 ${closing?.feedbackNumber ?? ''}`}
        intro={
          closing ? (
            <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
              <Descriptions.Item label="客户">{closing.customerName}</Descriptions.Item>
              <Descriptions.Item label="联系人">
                <Space size={8}>
                  {closing.contactName}
                  <Typography.Text copyable>{closing.contactPhone}</Typography.Text>
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label="评价">{closing.rating.comment || '未填写'}</Descriptions.Item>
            </Descriptions>
          ) : null
        }
        label="回访记录"
        placeholder="回访了谁、客户的意见和处理结果"
        maxLength={1000}
        okText="保存回访"
        schema={followUpCloseSchema}
        field="note"
        onClose={() => setClosing(null)}
        onRefused={() => list.reload()}
        onSubmit={async (body) => {
          if (!closing) return;
          await closeFollowUp(closing.id, body);
          setClosing(null);
          message.success('回访已记录');
          list.reload();
        }}
      />
    </div>
  );
}
