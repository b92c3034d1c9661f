import { useMemo } from 'react';
import { App as AntApp, Button, Popconfirm, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Segment } from '@qiao/shared';
import { deleteSegment, listCampaigns, listSegments } from '../../api/marketing';
import { ListPage } from '../../components/ListPage';
import { formatDateTime, formatShortDateTime, orDash } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useEditing } from '../../lib/useEditing';
import { useListParams } from '../../lib/useListParams';
import { toApiError, useRemote } from '../../lib/useRemote';
import { SegmentsEditorDrawer } from './SegmentsEditorDrawer';
import { describeRules } from './SegmentsRules';

/** 客户细分: saved rules selecting contacts, each shown in words; the editor counts them live. */
export default function SegmentsPage() {
  useDocumentTitle('客户细分');
  const { message } = AntApp.useApp();
  const params = useListParams();
  const { page, pageSize, q } = params;
  const editing = useEditing<Segment>();

  const list = useRemote((signal) => listSegments({ page, pageSize, q: q || undefined }, signal), [page, pageSize, q]);
  // For the campaign-history rule (choosing one, and naming it in the list).
  const campaigns = useRemote((signal) => listCampaigns({ pageSize: 100 }, signal), []);
  const campaignNames = useMemo(() => new Map((campaigns.data?.items ?? []).map((campaign) => [campaign.id, campaign.name])), [campaigns.data]);

  const remove = async (segment: Segment) => {
    try {
      await deleteSegment(segment.id);
      message.success(`已删除客户细分 ${segment.name}`);
      list.reload();
    } catch (error) {
      message.error(toApiError(error).message);
    }
  };

  const columns: TableColumnsType<Segment> = [
    {
      title: '名称',
      dataIndex: 'name',
      width: 200,
      render: (_, row) => (
        <div>
          <Typography.Text strong className="segment-name">
            {row.name}
          </Typography.Text>
          {row.description ? (
            <div>
              <Typography.Text type="secondary">{row.description}</Typography.Text>
            </div>
          ) : null}
        </div>
      ),
    },
    {
      title: '圈选条件',
      dataIndex: 'rules',
      render: (_, row) => {
        const parts = describeRules(row.rules, campaignNames);
        if (parts.length === 0) return <Typography.Text type="secondary">全部联系人</Typography.Text>;
        return (
          <Space size={[4, 4]} wrap>
            {parts.map((part) => (
              <Tag key={part} bordered={false}>
                {part}
              </Tag>
            ))}
          </Space>
        );
      },
    },
    { title: '创建人', dataIndex: 'createdBy', width: 100, render: (value: string) => orDash(value) },
    { title: '更新时间', dataIndex: 'updatedAt', width: 120, render: (value: string) => <span title={formatDateTime(value)}>{formatShortDateTime(value)}</span> },
    {
      title: '操作',
      width: 130,
      render: (_, row) => (
        <Space size={0}>
          <Button type="link" size="small" className="segment-edit" onClick={() => editing.edit(row)}>
            编辑
          </Button>
          <Popconfirm title={`删除客户细分“${row.name}”？`} description="未结束的营销方案正在使用的细分不能删除。" okText="删除" okButtonProps={{ danger: true }} onConfirm={() => remove(row)}>
            <Button type="link" size="small" danger className="segment-delete">
              删除
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <ListPage<Segment>
      area="营销"
      title="客户细分"
      create={{ id: 'segment-create', label: '新建客户细分', onClick: editing.create }}
      params={params}
      search={{ id: 'segment-search', placeholder: '名称、说明', width: 240 }}
      table={{ id: 'segment-table', columns, list, scroll: { x: 'max-content' }, unit: '个' }}
      empty={{ filtered: Boolean(q), text: '暂无客户细分，按标签、地区、行业等条件圈定营销对象' }}
    >
      <SegmentsEditorDrawer
        open={editing.open}
        segment={editing.record}
        campaigns={campaigns.data?.items ?? []}
        campaignsLoading={campaigns.loading}
        onClose={editing.close}
        onSaved={(saved, created) => {
          editing.close();
          message.success(created ? `已创建客户细分 ${saved.name}` : `已保存客户细分 ${saved.name}`);
          list.reload();
        }}
      />
    </ListPage>
  );
}
