import { Alert, Checkbox, Col, DatePicker, Flex, Form, Radio, Row, Select, Switch, Typography, type SelectProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { campaignChannelLabels, campaignChannels, campaignInputSchema, type Campaign, type CampaignChannel, type CampaignInput } from '@qiao/shared';
import { createCampaign, listMaterials, listSegments, updateCampaign } from '../../api/marketing';
import { EditorDrawer } from '../../components/EditorDrawer';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SchemaField } from '../../components/SchemaField';
import { useEditorForm } from '../../lib/useEditorForm';
import { useRemote } from '../../lib/useRemote';
import { channelRules } from './CampaignTags';
import { SegmentsFigures, useSegmentPreview } from './SegmentsPreview';

export interface CampaignFormDrawerProps {
  open: boolean;
  /** The draft to edit; null to create one. */
  campaign: Campaign | null;
  onClose: () => void;
  onSaved: (campaign: Campaign, created: boolean) => void;
}

interface CampaignForm {
  name?: string;
  materialId?: string;
  segmentId?: string;
  channels?: CampaignChannel[];
  when?: 'now' | 'later';
  scheduledAt?: Dayjs | null;
  intentEnabled?: boolean;
  intentProducts?: string[];
}

const fields = campaignInputSchema.shape;

/** The chosen segment's live count and reach, under its select. */
function SegmentReach({ rules }: { rules: Parameters<typeof useSegmentPreview>[0] }) {
  const { data, error, loading } = useSegmentPreview(rules, 0);
  if (!rules) return null;
  if (error) return <Alert type="error" showIcon message={`人数计算失败：${error.message}`} />;
  if (!data) return <Typography.Text type="secondary">{loading ? '正在计算人数…' : ''}</Typography.Text>;
  return (
    <div id="campaign-segment-reach" style={{ background: '#fafafa', padding: 12, borderRadius: 6 }}>
      <SegmentsFigures preview={data} compact />
    </div>
  );
}

type Option = { value: string; label: string };

/**
 * A record to send (material, segment) among the newest 100, searchable; the draft's own choice
 * (`current`) stays named even when it is older. `empty` says where to create one.
 */
function NewestSelect({ current, options, loading, empty, ...select }: SelectProps<string, Option> & { current: Option | null; options: Option[]; empty: string }) {
  const all = current && !options.some((option) => option.value === current.value) ? [current, ...options] : options;
  return <Select<string, Option> showSearch optionFilterProp="label" loading={loading} options={all} notFoundContent={loading ? '加载中…' : empty} {...select} />;
}

/** 新建/编辑营销方案: material, segment (with its count), channels, schedule, intent form. Drafts only. */
export function CampaignFormDrawer({ open, campaign, onClose, onSaved }: CampaignFormDrawerProps) {
  const { form, editor } = useEditorForm<CampaignForm, CampaignInput, Campaign>(open, {
    initialValues: () =>
      campaign
        ? {
            name: campaign.name,
            materialId: campaign.materialId,
            segmentId: campaign.segmentId,
            channels: campaign.channels,
            when: campaign.scheduledAt ? 'later' : 'now',
            scheduledAt: campaign.scheduledAt ? dayjs(campaign.scheduledAt) : null,
            intentEnabled: campaign.intentForm.enabled,
            intentProducts: campaign.intentForm.products,
          }
        : { channels: ['mass'], when: 'now', scheduledAt: null, intentEnabled: false, intentProducts: [] },
    deps: [campaign],
    schema: campaignInputSchema,
    input: (values) => ({
      name: values.name ?? '',
      materialId: values.materialId ?? '',
      segmentId: values.segmentId ?? '',
      channels: values.channels ?? [],
      scheduledAt: values.when === 'later' && values.scheduledAt ? values.scheduledAt.toISOString() : null,
      intentForm: { enabled: values.intentEnabled ?? false, products: values.intentEnabled ? (values.intentProducts ?? []) : [] },
    }),
    create: createCampaign,
    update: campaign ? (body) => updateCampaign(campaign.id, body) : null,
    onSaved,
  });
  const materials = useRemote((signal) => (open ? listMaterials({ pageSize: 100 }, signal) : Promise.resolve(undefined)), [open]);
  const segments = useRemote((signal) => (open ? listSegments({ pageSize: 100 }, signal) : Promise.resolve(undefined)), [open]);

  const segmentId = Form.useWatch('segmentId', form);
  const when = Form.useWatch('when', form);
  const intentEnabled = Form.useWatch('intentEnabled', form);
  const segment = segments.data?.items.find((item) => item.id === segmentId);

  return (
    <EditorDrawer name="campaign" {...editor} title={campaign ? `编辑营销方案：${campaign.name}` : '新建营销方案'} width={760} onClose={onClose}>
      <ErrorAlert error={materials.error ?? segments.error} onRetry={() => (materials.error ? materials.reload() : segments.reload())} title="素材或客户细分加载失败" />
      <Form form={form} layout="vertical" name="campaign">
        <SchemaField name="name" label="方案名称" required schema={fields.name} maxLength={50} placeholder="例如 春季新品推广" />
        <Form.Item name="materialId" label="素材" rules={[{ required: true, message: '请选择素材' }]}>
          <NewestSelect
            id="campaign-material"
            loading={materials.loading}
            placeholder="选择要推送的素材"
            options={(materials.data?.items ?? []).map((item) => ({ value: item.id, label: item.title }))}
            current={campaign ? { value: campaign.materialId, label: campaign.materialTitle } : null}
            empty="暂无素材，请先在“素材”中创建"
          />
        </Form.Item>
        <Form.Item name="segmentId" label="客户细分" rules={[{ required: true, message: '请选择客户细分' }]} extra={segment ? <SegmentReach rules={segment.rules} /> : undefined}>
          <NewestSelect
            id="campaign-segment"
            loading={segments.loading}
            placeholder="选择推送对象"
            options={(segments.data?.items ?? []).map((item) => ({ value: item.id, label: item.name }))}
            current={campaign ? { value: campaign.segmentId, label: campaign.segmentName } : null}
            empty="暂无客户细分，请先在“客户细分”中创建"
          />
        </Form.Item>
        <Form.Item name="channels" label="推送渠道" rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个渠道' }]}>
          <Checkbox.Group style={{ width: '100%' }}>
            <Flex vertical gap={8}>
              {campaignChannels.map((channel) => (
                <Checkbox key={channel} value={channel} id={`campaign-channel-${channel}`}>
                  <Typography.Text strong>{campaignChannelLabels[channel]}</Typography.Text>
                  <div>
                    <Typography.Text type="secondary">{channelRules[channel]}</Typography.Text>
                  </div>
                </Checkbox>
              ))}
            </Flex>
          </Checkbox.Group>
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          模板消息只能用于服务通知，用于营销会导致公众号被封禁，因此不作为营销渠道。
        </Typography.Paragraph>
        <Row gutter={16}>
          <Col span={10}>
            <Form.Item name="when" label="发送时间">
              <Radio.Group
                id="campaign-when"
                optionType="button"
                options={[
                  { value: 'now', label: '手动启动' },
                  { value: 'later', label: '定时发送' },
                ]}
              />
            </Form.Item>
          </Col>
          {when === 'later' ? (
            <Col span={14}>
              <Form.Item
                name="scheduledAt"
                label="计划时间"
                rules={[
                  { required: true, message: '请选择发送时间' },
                  {
                    validator: async (_rule, value?: Dayjs | null) => {
                      if (value && !value.isAfter(dayjs())) throw new Error('发送时间必须晚于现在');
                    },
                  },
                ]}
                extra="启动后到点自动发送"
              >
                <DatePicker id="campaign-scheduled-at" showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} disabledDate={(day) => day.isBefore(dayjs(), 'day')} />
              </Form.Item>
            </Col>
          ) : null}
        </Row>
        <Form.Item name="intentEnabled" label="意向表单" valuePropName="checked" extra="开启后落地页底部显示意向表单，提交后生成线索">
          <Switch id="campaign-intent" checkedChildren="开启" unCheckedChildren="关闭" />
        </Form.Item>
        {intentEnabled ? (
          <Form.Item name="intentProducts" label="可选产品" extra="输入后按回车添加，访客可勾选感兴趣的产品">
            <Select id="campaign-intent-products" mode="tags" tokenSeparators={[',', '，']} placeholder="例如 空调、热水器" notFoundContent={null} suffixIcon={null} maxCount={30} />
          </Form.Item>
        ) : null}
      </Form>
    </EditorDrawer>
  );
}
