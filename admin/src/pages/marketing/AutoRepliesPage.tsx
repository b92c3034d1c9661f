import { useState } from 'react';
import { Alert, App as AntApp, Button, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { autoReplyInputSchema, autoReplyTriggerLabels, autoReplyTriggers, type AutoReplyInput, type AutoReplyItem, type AutoReplyTrigger } from '@qiao/shared';
import { ApiError } from '../../api/client';
import { createAutoReply, deleteAutoReply, listAutoReplies, updateAutoReply } from '../../api/official-account';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeading } from '../../components/PageHeading';
import { formatDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { toApiError, useRemote } from '../../lib/useRemote';

const needsKeyword = (trigger: AutoReplyTrigger) => trigger === 'exact' || trigger === 'contains' || trigger === 'click';
const empty: AutoReplyInput = { trigger: 'exact', keyword: '', reply: '', enabled: true };

/** 自动回复: keyword, menu-click, follow (欢迎语) and default replies of the Official Account. */
export default function AutoRepliesPage() {
  useDocumentTitle('自动回复');
  const { message } = AntApp.useApp();
  const list = useRemote((signal) => listAutoReplies(signal), []);
  const [editing, setEditing] = useState<{ id: string | null; value: AutoReplyInput } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  const open = (id: string | null, value: AutoReplyInput) => {
    setEditing({ id, value });
    setErrors({});
    setFailure(null);
  };
  const change = (patch: Partial<AutoReplyInput>) => setEditing((current) => (current ? { ...current, value: { ...current.value, ...patch } } : current));

  async function save(): Promise<void> {
    if (!editing) return;
    const parsed = autoReplyInputSchema.safeParse(editing.value);
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join('.') || '_', issue.message])));
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      await (editing.id ? updateAutoReply(editing.id, parsed.data) : createAutoReply(parsed.data));
      message.success('已保存');
      setEditing(null);
      list.reload();
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.details) setErrors(apiError.details);
      setFailure(apiError);
    } finally {
      setSaving(false);
    }
  }

  async function remove(id: string): Promise<void> {
    try {
      await deleteAutoReply(id);
      list.reload();
    } catch (error) {
      message.error(toApiError(error).message);
    }
  }

  const columns: TableColumnsType<AutoReplyItem> = [
    { title: '触发方式', dataIndex: 'trigger', width: 130, render: (trigger: AutoReplyTrigger) => <Tag>{autoReplyTriggerLabels[trigger]}</Tag> },
    { title: '关键词 / 菜单 KEY', dataIndex: 'keyword', width: 180, render: (keyword: string) => keyword || '—' },
    { title: '回复内容', dataIndex: 'reply', render: (reply: string) => <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{reply}</Typography.Paragraph> },
    { title: '状态', dataIndex: 'enabled', width: 80, render: (enabled: boolean) => (enabled ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>) },
    { title: '更新时间', dataIndex: 'updatedAt', width: 160, render: (at: string) => formatDateTime(at) },
    {
      title: '操作',
      width: 130,
      render: (_, row) => (
        <Space>
          <Button type="link" size="small" className="auto-reply-edit" onClick={() => open(row.id, { trigger: row.trigger, keyword: row.keyword, reply: row.reply, enabled: row.enabled })}>
            编辑
          </Button>
          <Popconfirm title="删除这条规则？" okText="删除" cancelText="取消" onConfirm={() => remove(row.id)}>
            <Button type="link" size="small" danger>
              删除
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  const value = editing?.value;
  return (
    <div id="auto-replies-page">
      <PageHeading
        area="营销"
        title="自动回复"
        extra={
          <Button id="auto-reply-add" type="primary" onClick={() => open(null, empty)}>
            新建规则
          </Button>
        }
      />
      <Typography.Paragraph type="secondary">
        关键词先按“完全匹配”、再按“包含”（最长的关键词优先）回复；都不匹配时发送“默认回复”。没有设置默认回复时，系统会在已发布的菜单中有自助服务入口时提示点击该菜单，否则直接给出自助服务链接。欢迎语和默认回复中可写
        {' {自助服务链接} '}，发送时替换为实际链接。
      </Typography.Paragraph>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table id="auto-reply-table" rowKey="id" size="middle" loading={list.loading} columns={columns} dataSource={list.data ?? []} pagination={false} />
      <Modal
        open={editing !== null}
        title={editing?.id ? '编辑自动回复' : '新建自动回复'}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okText="保存"
        okButtonProps={{ id: 'auto-reply-save' }}
        confirmLoading={saving}
        destroyOnHidden
      >
        {value ? (
          <Form layout="vertical" style={{ marginTop: 16 }}>
            <Form.Item label="触发方式" validateStatus={errors.trigger ? 'error' : undefined} help={errors.trigger}>
              <Select id="auto-reply-trigger" value={value.trigger} onChange={(trigger: AutoReplyTrigger) => change({ trigger })} options={autoReplyTriggers.map((trigger) => ({ value: trigger, label: autoReplyTriggerLabels[trigger] }))} />
            </Form.Item>
            {needsKeyword(value.trigger) ? (
              <Form.Item label={value.trigger === 'click' ? '菜单 KEY（与自定义菜单“发送关键词”一致）' : '关键词'} validateStatus={errors.keyword ? 'error' : undefined} help={errors.keyword}>
                <Input id="auto-reply-keyword" value={value.keyword} maxLength={60} onChange={(event) => change({ keyword: event.target.value })} />
              </Form.Item>
            ) : null}
            <Form.Item label="回复内容" validateStatus={errors.reply ? 'error' : undefined} help={errors.reply}>
              <Input.TextArea id="auto-reply-reply" value={value.reply} rows={5} maxLength={600} showCount onChange={(event) => change({ reply: event.target.value })} />
            </Form.Item>
            <Form.Item label="启用">
              <Switch id="auto-reply-enabled" checked={value.enabled} onChange={(enabled) => change({ enabled })} />
            </Form.Item>
          </Form>
        ) : null}
        {failure && !failure.details ? <Alert type="error" showIcon message={failure.message} /> : null}
      </Modal>
    </div>
  );
}
