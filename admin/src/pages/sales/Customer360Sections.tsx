// The sections of the customer 360 page as tables: contacts with their WeChat identities, devices,
// service requests, leads, opportunities, campaigns received and spread, ownership history. Each
// shows the latest items the server sent and says how many there are in all.
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Badge, Button, Flex, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { LockOutlined, PlusOutlined } from '@ant-design/icons';
import type { TableColumnsType } from 'antd';
import {
  campaignChannelLabels,
  feedbackStatusLabels,
  feedbackTypeLabels,
  leadSourceLabels,
  leadStatusLabels,
  opportunityStageLabels,
  ownershipEventLabels,
  type Customer360,
  type FeedbackStatus,
  type FeedbackType,
  type LeadSource,
  type LeadStatus,
  type OwnershipEvent,
} from '@qiao/shared';
import { FeedbackStatusTag, FeedbackTypeTag, WarrantyTag } from '../../components/StatusTags';
import { formatDate, formatDateTime, formatFen, orDash } from '../../lib/format';

/** A tab label with its count. */
export const label = (text: string, total: number) => (
  <Space size={6}>
    {text}
    <Badge count={total} showZero color="#d9d9d9" style={{ color: 'rgba(0,0,0,0.65)' }} overflowCount={9999} />
  </Space>
);

/** Owner or pool (公海), locked, collaborators: what the header says about who works the customer. */
export function OwnerLine({ customer }: { customer: Customer360 }) {
  return (
    <Space size={8} wrap id="customer-360-owner">
      {customer.inPool ? (
        <Tag color="orange" id="customer-360-pool">
          公海客户
        </Tag>
      ) : (
        <Tag color="blue">负责人：{customer.ownerName ?? '—'}</Tag>
      )}
      {customer.locked ? (
        <Tag icon={<LockOutlined />} color="purple">
          已锁定
        </Tag>
      ) : null}
      {customer.collaborators.length > 0 ? (
        <Typography.Text type="secondary">协作：{customer.collaborators.map((person) => person.name || '—').join('、')}</Typography.Text>
      ) : null}
    </Space>
  );
}

export function AddButton({ id, onClick, children }: { id: string; onClick: () => void; children: ReactNode }) {
  return (
    <Flex justify="flex-end" style={{ marginBottom: 12 }}>
      <Button id={id} icon={<PlusOutlined />} onClick={onClick}>
        {children}
      </Button>
    </Flex>
  );
}

type Section<K extends keyof Customer360> = NonNullable<Customer360[K]>;
type Row<K extends keyof Customer360> = Section<K> extends { items: Array<infer T> } ? T : never;

/** A capped section's table: "latest N of M" under it when there are more. */
export function SectionTable<T extends object>({
  id,
  rows,
  total,
  columns,
  empty,
  rowKey,
}: {
  id: string;
  rows: T[];
  total: number;
  columns: TableColumnsType<T>;
  empty: string;
  rowKey: (row: T) => string;
}) {
  return (
    <>
      <Table<T> id={id} size="small" rowKey={rowKey} columns={columns} dataSource={rows} pagination={false} scroll={{ x: 'max-content' }} locale={{ emptyText: empty }} />
      {total > rows.length ? (
        <Typography.Text type="secondary" className="section-more" style={{ display: 'block', marginTop: 8 }}>
          共 {total} 条，显示最近 {rows.length} 条
        </Typography.Text>
      ) : null}
    </>
  );
}

const kindLabel: Record<string, string> = { contact: '客户', staff: '员工', wechat: '微信用户', visitor: '访客' };

/** Who passed a campaign on, root first. */
export function SharePathText({ path }: { path: Array<{ name: string; kind: string }> }) {
  if (path.length === 0) return <Typography.Text type="secondary">直接访问（无转发路径）</Typography.Text>;
  return (
    <Space size={4} wrap className="share-path">
      {path.map((step, index) => (
        <span key={`${index}-${step.name}`}>
          {index > 0 ? ' → ' : ''}
          <Tooltip title={kindLabel[step.kind] ?? step.kind}>{step.name.trim() || '匿名访客'}</Tooltip>
        </span>
      ))}
    </Space>
  );
}

export function contactColumns(actions: ((row: Row<'contacts'>) => ReactNode) | null): TableColumnsType<Row<'contacts'>> {
  return [
    { title: '姓名', dataIndex: 'name' },
    { title: '手机号', dataIndex: 'phone', width: 120 },
    { title: '职务', dataIndex: 'title', render: (value: string) => orDash(value) },
    { title: '标签', dataIndex: 'tags', render: (tags: string[]) => (tags.length ? tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : '—') },
    {
      title: '微信身份',
      dataIndex: 'wechat',
      render: (_, row) =>
        row.wechat.length === 0 ? (
          <Tag>未验证</Tag>
        ) : (
          <Space direction="vertical" size={2}>
            {row.wechat.map((identity) => (
              <Space key={identity.wechatUserId} size={4} wrap className="contact-wechat">
                {identity.officialAccount ? <Tag color={identity.following ? 'green' : 'default'}>{identity.following ? '公众号·已关注' : '公众号·未关注'}</Tag> : null}
                {identity.miniProgram ? <Tag color="blue">小程序</Tag> : null}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  最近互动 {formatDateTime(identity.lastInteractionAt)}
                </Typography.Text>
              </Space>
            ))}
          </Space>
        ),
    },
    ...(actions ? [{ title: '操作', width: 80, render: (_: unknown, row: Row<'contacts'>) => actions(row) }] : []),
  ];
}

export function deviceColumns(actions: ((row: Row<'devices'>) => ReactNode) | null): TableColumnsType<Row<'devices'>> {
  return [
    { title: '序列号', dataIndex: 'serialNumber' },
    { title: '型号', dataIndex: 'model' },
    { title: '产品线', dataIndex: 'productLine' },
    { title: '安装日期', dataIndex: 'installedAt', render: (value: string) => formatDate(value) },
    { title: '保修到期', dataIndex: 'warrantyEndsAt', render: (value: string) => formatDate(value) },
    { title: '保修状态', dataIndex: 'warrantyState', render: (value: Row<'devices'>['warrantyState']) => <WarrantyTag state={value} /> },
    ...(actions ? [{ title: '操作', width: 70, render: (_: unknown, row: Row<'devices'>) => actions(row) }] : []),
  ];
}

const isFeedbackStatus = (value: string): value is FeedbackStatus => value in feedbackStatusLabels;
const isFeedbackType = (value: string): value is FeedbackType => value in feedbackTypeLabels;

export function requestColumns(linkable: boolean): TableColumnsType<Row<'requests'>> {
  return [
    {
      title: '编号',
      dataIndex: 'number',
      render: (value: string, row) => (linkable ? <Link to={`/service/requests/${encodeURIComponent(row.id)}`}>{value}</Link> : value),
    },
    { title: '类型', dataIndex: 'type', render: (value: string) => (isFeedbackType(value) ? <FeedbackTypeTag type={value} /> : value) },
    { title: '状态', dataIndex: 'status', render: (value: string) => (isFeedbackStatus(value) ? <FeedbackStatusTag status={value} /> : value) },
    { title: '提交时间', dataIndex: 'createdAt', render: (value: string) => formatDateTime(value) },
    { title: '完成时间', dataIndex: 'completedAt', render: (value: string | null) => formatDateTime(value) },
    { title: '评分', dataIndex: 'rating', render: (value: number | null) => (value === null ? '—' : `${value.toFixed(1)} 分`) },
  ];
}

const leadStatusColor: Record<string, string> = { new: 'gold', assigned: 'blue', following: 'processing', converted: 'success', closed: 'default' };

export function leadColumns(onOpen: ((id: string) => void) | null): TableColumnsType<Row<'leads'>> {
  return [
    {
      title: '线索',
      dataIndex: 'company',
      render: (_, row) => (
        <Space direction="vertical" size={0}>
          {onOpen ? (
            <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onOpen(row.id)}>
              {row.company || row.name}
            </Button>
          ) : (
            <span>{row.company || row.name}</span>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.name} {row.phone}
          </Typography.Text>
          {row.convertedFrom ? <Tag color="purple">转化来源</Tag> : null}
        </Space>
      ),
    },
    { title: '来源', dataIndex: 'source', render: (value: string) => leadSourceLabels[value as LeadSource] ?? value },
    { title: '状态', dataIndex: 'status', render: (value: string) => <Tag color={leadStatusColor[value]}>{leadStatusLabels[value as LeadStatus] ?? value}</Tag> },
    { title: '负责销售', dataIndex: 'ownerName', render: (value: string | null) => orDash(value) },
    {
      title: '营销方案 / 传播路径',
      dataIndex: 'campaignName',
      render: (_, row) =>
        row.campaignId ? (
          <Space direction="vertical" size={0}>
            <span>{row.campaignName ?? '—'}</span>
            <SharePathText path={row.sharePath} />
          </Space>
        ) : (
          '—'
        ),
    },
    { title: '创建时间', dataIndex: 'createdAt', render: (value: string) => formatDateTime(value) },
  ];
}

const stageColor: Record<string, string> = { open: 'processing', won: 'success', lost: 'default' };

export const opportunityColumns: TableColumnsType<Row<'opportunities'>> = [
  { title: '商机', dataIndex: 'name' },
  { title: '阶段', dataIndex: 'stage', render: (value: Row<'opportunities'>['stage']) => <Tag color={stageColor[value]}>{opportunityStageLabels[value]}</Tag> },
  { title: '金额', dataIndex: 'amount', align: 'right', render: (value: number) => formatFen(value) },
  { title: '负责销售', dataIndex: 'ownerName', render: (value: string | null) => orDash(value) },
  { title: '预计成交', dataIndex: 'expectedCloseAt', render: (value: string | null) => formatDate(value) },
  { title: '结束时间', dataIndex: 'closedAt', render: (value: string | null) => formatDate(value) },
];

const deliveryStateLabels: Record<string, string> = { sending: '发送中', sent: '已送达', failed: '失败', skipped: '已跳过' };
const channelLabels: Record<string, string> = campaignChannelLabels;

export const receivedColumns: TableColumnsType<Row<'campaignsReceived'>> = [
  { title: '营销方案', dataIndex: 'campaignName', render: (value: string) => orDash(value) },
  { title: '联系人', dataIndex: 'contactName' },
  { title: '渠道', dataIndex: 'channel', render: (value: string | null) => (value ? (channelLabels[value] ?? value) : '—') },
  { title: '结果', dataIndex: 'state', render: (value: string) => deliveryStateLabels[value] ?? value },
  { title: '时间', dataIndex: 'at', render: (value: string) => formatDateTime(value) },
];

export const sharedColumns: TableColumnsType<Row<'campaignsShared'>> = [
  { title: '营销方案', dataIndex: 'campaignName', render: (value: string) => orDash(value) },
  { title: '联系人', dataIndex: 'contactName' },
  { title: '带来转发', dataIndex: 'shares', align: 'right' },
  { title: '直接浏览', dataIndex: 'views', align: 'right' },
  { title: '新访客', dataIndex: 'uniqueVisitors', align: 'right' },
  { title: '带来浏览（含下级）', dataIndex: 'subtreeViews', align: 'right' },
  { title: '带来线索', dataIndex: 'leads', align: 'right' },
];

export const ownershipColumns: TableColumnsType<OwnershipEvent> = [
  { title: '时间', dataIndex: 'at', render: (value: string) => formatDateTime(value) },
  { title: '变动', dataIndex: 'kind', render: (value: OwnershipEvent['kind']) => <Tag>{ownershipEventLabels[value] ?? value}</Tag> },
  { title: '原负责人', dataIndex: 'fromOwnerName', render: (value: string | null) => value ?? '公海' },
  { title: '新负责人', dataIndex: 'toOwnerName', render: (value: string | null) => value ?? '公海' },
  { title: '原因', dataIndex: 'reason', render: (value: string) => orDash(value) },
  { title: '操作人', dataIndex: 'byStaffName', render: (value: string | null) => value ?? '系统' },
];
