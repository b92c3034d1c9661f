// 跟进记录 of a lead or a customer: the timeline (newest first) and the form to add one. Used on
// the lead drawer and the customer 360 page.
import { useEffect, useState } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import { App as AntApp, Alert, Button, DatePicker, Empty, Flex, Form, Input, Radio, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import {
  FOLLOW_NEXT_STEP_MAX,
  FOLLOW_NOTE_MAX,
  followKindLabels,
  followKinds,
  type FollowKind,
  type FollowRecordView,
  type FollowTarget,
} from '@qiao/shared';
import { createFollowRecord, listFollowRecords } from '../../api/follow-records';
import { useSession } from '../../auth/useSession';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDate, formatDateTime } from '../../lib/format';
import { toApiError, useRemote } from '../../lib/useRemote';
import { useSubmit } from '../../lib/useSubmit';

/** Records shown at once (the 360 view and the drawer are not archives). */
const SHOWN = 50;

const kindColors: Record<FollowKind, string> = { visit: 'blue', phone: 'green', wechat: 'cyan', other: 'default' };

interface FormValues {
  kind: FollowKind;
  note?: string;
  nextStep?: string;
  nextAt?: Dayjs | null;
}

export interface FollowRecordsProps {
  target: FollowTarget;
  id: string;
  /** Only looking (a pool customer, a closed lead): no add form. */
  readOnly?: boolean;
  /** Why there is no add form, shown instead of it. */
  readOnlyReason?: string;
  /** A record was added (the page may reload what it shows, e.g. the pool clock). */
  onAdded?: (record: FollowRecordView) => void;
}

function RecordItem({ record }: { record: FollowRecordView }) {
  return (
    <div className="follow-record" data-follow-id={record.id}>
      <Space size={8} wrap>
        <Tag color={kindColors[record.kind]}>{followKindLabels[record.kind]}</Tag>
        <Typography.Text strong>{record.authorName || '—'}</Typography.Text>
        <Typography.Text type="secondary">{formatDateTime(record.createdAt)}</Typography.Text>
      </Space>
      <Typography.Paragraph className="follow-record-note" style={{ whiteSpace: 'pre-wrap', margin: '4px 0' }}>
        {record.note}
      </Typography.Paragraph>
      {record.nextStep || record.nextAt ? (
        <Typography.Text type="secondary">
          {record.nextStep ? `下一步：${record.nextStep}` : ''}
          {record.nextStep && record.nextAt ? '；' : ''}
          {record.nextAt ? (
            <span className="follow-record-next">
              下次跟进 {formatDate(record.nextAt)}
              {record.latest ? null : '（已被后续记录更新）'}
            </span>
          ) : null}
        </Typography.Text>
      ) : null}
    </div>
  );
}

export function FollowRecords({ target, id, readOnly = false, readOnlyReason, onAdded }: FollowRecordsProps) {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<FormValues>();
  const [adding, setAdding] = useState(false);
  const records = useRemote(
    (signal) => listFollowRecords({ ...(target === 'lead' ? { leadId: id } : { customerId: id }), pageSize: SHOWN }, signal),
    [target, id],
  );
  const submit = useSubmit(form);
  // Older records, page by page by key (加载更多); cleared whenever the first page is read again.
  const [older, setOlder] = useState<{ items: FollowRecordView[]; page: number; nextCursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  useEffect(() => setOlder(null), [records.data]);
  const nextCursor = older ? older.nextCursor : (records.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!nextCursor) return;
    const page = (older?.page ?? 1) + 1;
    setLoadingMore(true);
    try {
      const next = await listFollowRecords({ ...(target === 'lead' ? { leadId: id } : { customerId: id }), pageSize: SHOWN, page, cursor: nextCursor });
      setOlder({ items: [...(older?.items ?? []), ...next.items], page, nextCursor: next.nextCursor ?? null });
    } catch (error) {
      message.error(toApiError(error).message);
    } finally {
      setLoadingMore(false);
    }
  };

  const save = (values: FormValues) =>
    submit.run(async () => {
      const saved = await createFollowRecord({
        target,
        ...(target === 'lead' ? { leadId: id } : { customerId: id }),
        kind: values.kind,
        note: values.note ?? '',
        nextStep: values.nextStep ?? '',
        // A calendar day: the server reads it as that day in China time.
        nextAt: values.nextAt ? values.nextAt.format('YYYY-MM-DD') : null,
      });
      message.success('已记录跟进');
      form.resetFields();
      setAdding(false);
      records.reload();
      onAdded?.(saved);
    });

  const items = [...(records.data?.items ?? []), ...(older?.items ?? [])];
  const total = records.data?.total ?? 0;

  return (
    <div id="follow-records">
      {readOnly ? (
        readOnlyReason ? <Alert type="info" showIcon message={readOnlyReason} style={{ marginBottom: 12 }} /> : null
      ) : adding ? (
        <Form<FormValues>
          form={form}
          id="follow-form"
          layout="vertical"
          initialValues={{ kind: 'phone' }}
          onFinish={(values) => void save(values)}
          style={{ marginBottom: 16, padding: 12, background: 'var(--ant-color-fill-quaternary, #fafafa)', borderRadius: 8 }}
        >
          <Form.Item name="kind" label="跟进方式">
            <Radio.Group id="follow-kind" optionType="button" options={followKinds.map((kind) => ({ value: kind, label: followKindLabels[kind] }))} />
          </Form.Item>
          <Form.Item
            name="note"
            label="跟进内容"
            rules={[{ required: true, whitespace: true, message: '请填写跟进内容' }, { max: FOLLOW_NOTE_MAX, message: `跟进内容最多 ${FOLLOW_NOTE_MAX} 个字符` }]}
          >
            <Input.TextArea id="follow-note" rows={3} maxLength={FOLLOW_NOTE_MAX} showCount placeholder="沟通了什么、客户的反馈" />
          </Form.Item>
          <Flex gap={12} wrap>
            <Form.Item name="nextStep" label="下一步计划" style={{ flex: '1 1 240px' }} rules={[{ max: FOLLOW_NEXT_STEP_MAX, message: `最多 ${FOLLOW_NEXT_STEP_MAX} 个字符` }]}>
              <Input id="follow-next-step" maxLength={FOLLOW_NEXT_STEP_MAX} placeholder="例如：发送报价单" />
            </Form.Item>
            <Form.Item name="nextAt" label="下次跟进日期" style={{ flex: '0 0 200px' }}>
              <DatePicker id="follow-next-at" style={{ width: '100%' }} format="YYYY-MM-DD" placeholder="选择日期" disabledDate={(day) => day.isBefore(dayjs(), 'day')} />
            </Form.Item>
          </Flex>
          <ErrorAlert error={submit.failure} title="保存失败" />
          <Space>
            <Button id="follow-submit" type="primary" htmlType="submit" loading={submit.submitting}>
              保存跟进
            </Button>
            <Button
              onClick={() => {
                setAdding(false);
                submit.reset();
              }}
            >
              取消
            </Button>
          </Space>
        </Form>
      ) : (
        <Flex justify="flex-end" style={{ marginBottom: 12 }}>
          <Button id="follow-add" type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            添加跟进
          </Button>
        </Flex>
      )}
      <ErrorAlert error={records.error} onRetry={records.reload} title="跟进记录加载失败" />
      {records.loading && !records.data ? (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无跟进记录" />
      ) : (
        <>
          <div id="follow-timeline">
            <Timeline style={{ marginTop: 8 }} items={items.map((record) => ({ key: record.id, color: record.latest ? 'blue' : 'gray', children: <RecordItem record={record} /> }))} />
          </div>
          {total > items.length ? (
            <Space>
              <Typography.Text type="secondary">
                共 {total} 条，显示最近 {items.length} 条
              </Typography.Text>
              {nextCursor ? (
                <Button id="follow-more" size="small" loading={loadingMore} onClick={() => void loadMore()}>
                  加载更多
                </Button>
              ) : null}
            </Space>
          ) : null}
        </>
      )}
    </div>
  );
}

/** Who works leads and customers: others (a marketer reading campaign leads) see no records. */
const FOLLOWERS: ReadonlySet<string> = new Set(['admin', 'manager', 'sales']);

/** The records under a heading, as the lead drawer shows them (closed or converted leads: read only). */
export function FollowRecordsSection({ target, id, closed, onAdded }: { target: FollowTarget; id: string; closed: boolean; onAdded?: () => void }) {
  const session = useSession();
  if (!session || !FOLLOWERS.has(session.user.role)) return null;
  return (
    <div>
      <Typography.Title level={5}>跟进记录</Typography.Title>
      <FollowRecords target={target} id={id} readOnly={closed} readOnlyReason={closed ? '线索已关闭或已转化，不能再记录跟进' : undefined} onAdded={onAdded} />
    </div>
  );
}
