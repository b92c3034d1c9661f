import type { HTMLAttributes } from 'react';
import { Alert, Button, Form, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import { dispatchRequestSchema, type EngineerSuggestion, type FeedbackDetail } from '@qiao/shared';
import { dispatchFeedback, listEngineerSuggestions } from '../../api/feedbacks';
import { listAllEngineers } from '../../api/staff';
import { RemoteTable } from '../../components/RemoteTable';
import { useModalForm } from '../../lib/useModalForm';
import { useRemote } from '../../lib/useRemote';
import { parseForm, textValues } from '../../lib/zodForm';
import type { ApiError } from '../../api/client';

export interface DispatchModalProps {
  open: boolean;
  feedback: FeedbackDetail;
  /** 改派: the request already has an engineer. */
  reassign: boolean;
  onClose: () => void;
  onDone: (detail: FeedbackDetail) => void;
  /** A refused dispatch (409 …): the detail is probably stale. */
  onRefused: (error: ApiError) => void;
}

interface DispatchForm {
  engineerId?: string;
  note?: string;
}

/** 派工 / 改派: ranked suggestions (region, product line, load) plus any engineer, with a note. */
export function DispatchModal({ open, feedback, reassign, onClose, onDone, onRefused }: DispatchModalProps) {
  const { form, run, modal: { submitting, failure } } = useModalForm<DispatchForm>(open, { fieldErrors: false, onRefused });
  const selected = Form.useWatch('engineerId', form);
  const suggestions = useRemote(
    (signal) => (open ? listEngineerSuggestions(feedback.id, signal) : Promise.resolve<EngineerSuggestion[]>([])),
    [open, feedback.id],
  );
  const engineers = useRemote((signal) => (open ? listAllEngineers(signal) : Promise.resolve([])), [open]);
  const currentId = feedback.engineer?.id;

  const submit = async () => {
    const values = await form.validateFields();
    const body = parseForm(form, dispatchRequestSchema, textValues(values, ['engineerId', 'note']));
    if (!body) return;
    await run(async () => onDone(await dispatchFeedback(feedback.id, body)));
  };

  const label = (name: string, phone: string, open: number, id: string) =>
    `${name}${phone ? `（${phone}）` : ''} · 在办 ${open}${id === currentId ? ' · 当前' : ''}`;
  const engineerOptions = (engineers.data ?? [])
    .filter((engineer) => engineer.active)
    .map((engineer) => ({
      value: engineer.id,
      disabled: engineer.id === currentId,
      label: label(engineer.name, engineer.phone, engineer.openWorkOrders, engineer.id),
      search: `${engineer.name} ${engineer.phone} ${engineer.regions.join(' ')} ${engineer.productLines.join(' ')}`,
    }));
  // A suggested engineer missing from the full list (still loading, or past its first 100) keeps a name.
  for (const suggestion of suggestions.data ?? []) {
    if (engineerOptions.some((option) => option.value === suggestion.id)) continue;
    engineerOptions.push({
      value: suggestion.id,
      disabled: suggestion.id === currentId,
      label: label(suggestion.name, suggestion.phone, suggestion.openWorkOrders, suggestion.id),
      search: `${suggestion.name} ${suggestion.phone}`,
    });
  }

  return (
    <Modal
      open={open}
      title={reassign ? `改派 ${feedback.number}` : `派工 ${feedback.number}`}
      width={760}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={reassign ? '确认改派' : '确认派工'}
      okButtonProps={{ id: 'dispatch-confirm', disabled: !selected }}
      confirmLoading={submitting}
      destroyOnHidden
      modalRender={(node) => <div id="dispatch-modal">{node}</div>}
    >
      <Typography.Paragraph type="secondary">
        推荐按地区和产品线匹配排序，其次是在办工单较少的工程师。{feedback.region ? `客户地区：${feedback.region}；` : ''}
        {feedback.productLine ? `产品线：${feedback.productLine}。` : ''}
      </Typography.Paragraph>
      <RemoteTable<EngineerSuggestion>
        className="dispatch-suggestions"
        remote={suggestions}
        rows={suggestions.data ?? []}
        errorTitle="推荐工程师加载失败"
        scroll={{ y: 280 }}
        emptyText="暂无可推荐的服务工程师"
        onRow={(row) =>
          ({
            'data-engineer-id': row.id,
            // The whole row picks the engineer, not only its button.
            onClick: () => row.id !== currentId && form.setFieldsValue({ engineerId: row.id }),
            style: { cursor: row.id === currentId ? 'not-allowed' : 'pointer' },
          }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: '工程师',
            dataIndex: 'name',
            render: (_, row, index) => (
              <Space size={4}>
                <Typography.Text strong>{row.name}</Typography.Text>
                {index === 0 ? <Tag color="gold">推荐</Tag> : null}
                {row.id === currentId ? <Tag>当前</Tag> : null}
              </Space>
            ),
          },
          { title: '电话', dataIndex: 'phone', width: 130, render: (value: string) => value || '—' },
          {
            title: '匹配',
            width: 170,
            render: (_, row) =>
              row.regionMatch || row.productLineMatch ? (
                <Space size={4}>
                  {row.regionMatch ? <Tag color="green">地区匹配</Tag> : null}
                  {row.productLineMatch ? <Tag color="blue">产品线匹配</Tag> : null}
                </Space>
              ) : (
                <Typography.Text type="secondary">不匹配</Typography.Text>
              ),
          },
          { title: '在办工单', dataIndex: 'openWorkOrders', width: 90, align: 'right' },
          {
            title: '',
            width: 90,
            align: 'right',
            render: (_, row) => (
              <Button
                size="small"
                className="dispatch-to"
                data-engineer-id={row.id}
                type={selected === row.id ? 'primary' : 'default'}
                disabled={row.id === currentId}
                onClick={() => form.setFieldsValue({ engineerId: row.id })}
              >
                {selected === row.id ? '已选择' : '选择'}
              </Button>
            ),
          },
        ]}
      />
      <Form form={form} layout="vertical" style={{ marginTop: 16 }} requiredMark="optional">
        <Form.Item
          name="engineerId"
          label="服务工程师"
          rules={[{ required: true, message: '请选择服务工程师' }]}
          extra="也可以从全部工程师中选择"
        >
          <Select
            id="dispatch-engineer"
            showSearch
            allowClear
            placeholder="选择服务工程师"
            loading={engineers.loading}
            options={engineerOptions}
            optionFilterProp="search"
            notFoundContent={engineers.error ? engineers.error.message : '没有服务工程师'}
          />
        </Form.Item>
        <Form.Item name="note" label="派工说明">
          <Input.TextArea id="dispatch-note" rows={2} maxLength={200} showCount placeholder="给工程师的说明（选填）" />
        </Form.Item>
      </Form>
      {failure ? <Alert type="error" showIcon message={failure.message} id="dispatch-error" /> : null}
    </Modal>
  );
}
