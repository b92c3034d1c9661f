// 撞单: the leads and customers a lead conflicts with — score, owner (who to talk to), and contact
// details masked where the viewer may not see the record.
import { Alert, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { duplicateFieldLabels, leadStatusLabels, type DuplicateField, type DuplicateMatch, type LeadStatus } from '@qiao/shared';
import { formatShortDateTime, orDash } from '../../lib/format';

const statusLabel = (match: DuplicateMatch): string => {
  if (!match.status) return '—';
  if (match.kind === 'customer') return match.status === 'pool' ? '公海' : '已有负责人';
  return leadStatusLabels[match.status as LeadStatus] ?? match.status;
};

export interface DuplicateConflictsProps {
  matches: DuplicateMatch[];
  /** Warning mode: the record may still be saved. */
  allowSave: boolean;
  /** Shown above the table; defaults to a sentence for the mode. */
  title?: string;
}

export function DuplicateConflicts({ matches, allowSave, title }: DuplicateConflictsProps) {
  const columns: TableColumnsType<DuplicateMatch> = [
    { title: '类型', dataIndex: 'kind', width: 64, render: (kind: DuplicateMatch['kind']) => <Tag color={kind === 'lead' ? 'blue' : 'purple'}>{kind === 'lead' ? '线索' : '客户'}</Tag> },
    { title: '公司', dataIndex: 'company', render: (value: string) => orDash(value) },
    { title: '联系人', dataIndex: 'name', render: (value: string) => orDash(value) },
    {
      title: '电话',
      dataIndex: 'phone',
      render: (value: string, row) => (
        <span className="duplicate-phone">
          {orDash(value)}
          {row.masked ? (
            <Tooltip title="你无权查看该记录，联系方式已打码">
              <Tag className="duplicate-masked" style={{ marginLeft: 4 }}>
                已打码
              </Tag>
            </Tooltip>
          ) : null}
        </span>
      ),
    },
    { title: '负责人', dataIndex: 'ownerName', render: (value: string | null, row) => value ?? (row.kind === 'customer' && row.status === 'pool' ? '公海' : '—') },
    { title: '状态', dataIndex: 'status', width: 90, render: (_, row) => statusLabel(row) },
    {
      title: '相似度',
      dataIndex: 'score',
      width: 120,
      render: (score: number, row) => (
        <Tooltip title={`匹配字段：${row.fields.map((field: DuplicateField) => duplicateFieldLabels[field]).join('、')}`}>
          <span className="duplicate-score">{Math.round(score * 100)}%</span>
        </Tooltip>
      ),
    },
    { title: '创建时间', dataIndex: 'createdAt', width: 120, render: (value: string | null) => (value ? formatShortDateTime(value) : '—') },
  ];
  return (
    <div id="duplicate-conflicts" style={{ marginTop: 12 }}>
      <Alert
        type={allowSave ? 'warning' : 'error'}
        showIcon
        message={title ?? (allowSave ? `发现 ${matches.length} 条可能重复的记录，确认不是同一客户后可以仍然保存` : `与 ${matches.length} 条已有记录撞单，不能保存`)}
        description={<Typography.Text type="secondary">请与负责人沟通后再跟进，避免重复联系客户。</Typography.Text>}
        style={{ marginBottom: 8 }}
      />
      <Table<DuplicateMatch> rowKey={(row) => `${row.kind}:${row.id}`} size="small" columns={columns} dataSource={matches} pagination={false} scroll={{ x: 'max-content' }} />
    </div>
  );
}
