// 公海规则 (admin): the caps and clocks of the customer pool — defaults, per role, per person.
// A person's entry beats their role's, which beats the defaults; 0 means no limit.
import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Form, InputNumber, Row, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { poolRulesSchema, type PoolRules } from '@qiao/shared';
import { getPoolRules, listPoolOwners, savePoolRules } from '../../api/pool';
import { PageHeading } from '../../components/PageHeading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { toApiError, useRemote } from '../../lib/useRemote';

type Limit = number | null | undefined;
interface LimitsForm {
  maxOwned?: Limit;
  maxDaysWithoutFollowUp?: Limit;
  maxDaysWithoutDeal?: Limit;
}
interface RulesForm {
  defaults: Required<LimitsForm> & { remindDaysBefore: Limit };
  sales: LimitsForm;
  manager: LimitsForm;
  byStaff: Array<LimitsForm & { staffId?: string }>;
}

const LIMITS = [
  { key: 'maxOwned', label: '最大客户数', unit: '个' },
  { key: 'maxDaysWithoutFollowUp', label: '最长未跟进', unit: '天' },
  { key: 'maxDaysWithoutDeal', label: '最长未成交', unit: '天' },
] as const;

/** Only the limits that are set: an empty box falls back to the next level. */
function limitsOf(form: LimitsForm): Record<string, number> {
  return Object.fromEntries(LIMITS.flatMap(({ key }) => (typeof form[key] === 'number' ? [[key, form[key]]] : [])));
}

function toForm(rules: PoolRules): RulesForm {
  return {
    defaults: { ...rules.defaults },
    sales: { ...rules.byRole.sales },
    manager: { ...rules.byRole.manager },
    byStaff: rules.byStaff.map((entry) => ({ ...entry })),
  };
}

function LimitFields({ prefix, required }: { prefix: Array<string | number>; required?: boolean }) {
  return (
    <>
      {LIMITS.map(({ key, label, unit }) => (
        <Col span={6} key={key}>
          <Form.Item name={[...prefix, key]} label={label} rules={required ? [{ required: true, message: `请填写${label}` }] : []}>
            <InputNumber id={`pool-rules-${prefix.join('-')}-${key}`} min={0} max={100000} precision={0} addonAfter={unit} placeholder={required ? '0 为不限' : '沿用上级'} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      ))}
    </>
  );
}

export default function PoolRulesPage() {
  useDocumentTitle('公海规则');
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<RulesForm>();
  const rules = useRemote((signal) => getPoolRules(signal), []);
  const owners = useRemote((signal) => listPoolOwners(signal), []);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (rules.data) form.setFieldsValue(toForm(rules.data));
  }, [rules.data, form]);

  const save = async () => {
    const values = await form.validateFields();
    const parsed = poolRulesSchema.safeParse({
      defaults: { ...limitsOf(values.defaults), remindDaysBefore: values.defaults.remindDaysBefore ?? 0 },
      byRole: { sales: limitsOf(values.sales ?? {}), manager: limitsOf(values.manager ?? {}) },
      byStaff: (values.byStaff ?? []).filter((entry) => entry.staffId).map((entry) => ({ staffId: entry.staffId, ...limitsOf(entry) })),
    });
    if (!parsed.success) {
      setFailure(parsed.error.issues[0]?.message ?? '规则不完整');
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      form.setFieldsValue(toForm(await savePoolRules(parsed.data)));
      message.success('公海规则已保存');
    } catch (error) {
      setFailure(toApiError(error).message);
    } finally {
      setSaving(false);
    }
  };

  const staffOptions = (owners.data ?? []).map((owner) => ({ value: owner.id, label: owner.departmentName ? `${owner.name}（${owner.departmentName}）` : owner.name }));
  return (
    <div>
      <PageHeading
        area="系统"
        title="公海规则"
        extra={
          <Button id="pool-rules-save" type="primary" loading={saving} disabled={!rules.data} onClick={() => void save().catch(() => undefined)}>
            保存
          </Button>
        }
      />
      {rules.error ? <Alert type="error" showIcon message={`加载失败：${rules.error.message}`} style={{ marginBottom: 16 }} /> : null}
      {failure ? <Alert type="error" showIcon message={failure} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical" id="pool-rules-form">
        <Card title="默认规则" style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">
            超过“最长未跟进”或“最长未成交”天数的客户在每日检查时自动退回公海，提前若干天提醒专管业务员；已锁定的客户和成交期内的客户不退回。0 表示不限。
          </Typography.Paragraph>
          <Row gutter={16}>
            <LimitFields prefix={['defaults']} required />
            <Col span={6}>
              <Form.Item name={['defaults', 'remindDaysBefore']} label="提前提醒" rules={[{ required: true, message: '请填写提前提醒天数' }]}>
                <InputNumber id="pool-rules-remind" min={0} max={365} precision={0} addonAfter="天" style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title="按角色" style={{ marginBottom: 16 }}>
          <Typography.Text strong>销售</Typography.Text>
          <Row gutter={16}>
            <LimitFields prefix={['sales']} />
          </Row>
          <Typography.Text strong>销售经理</Typography.Text>
          <Row gutter={16}>
            <LimitFields prefix={['manager']} />
          </Row>
        </Card>
        <Card title="按人员（优先于角色和默认规则）">
          <Form.List name="byStaff">
            {(items, { add, remove }) => (
              <>
                {items.map((item) => (
                  <Row gutter={16} key={item.key} align="bottom">
                    <Col span={5}>
                      <Form.Item name={[item.name, 'staffId']} label="人员" rules={[{ required: true, message: '请选择人员' }]}>
                        <Select showSearch optionFilterProp="label" options={staffOptions} placeholder="选择人员" loading={owners.loading} />
                      </Form.Item>
                    </Col>
                    {LIMITS.map(({ key, label, unit }) => (
                      <Col span={5} key={key}>
                        <Form.Item name={[item.name, key]} label={label}>
                          <InputNumber min={0} max={100000} precision={0} addonAfter={unit} placeholder="沿用上级" style={{ width: '100%' }} />
                        </Form.Item>
                      </Col>
                    ))}
                    <Col span={4}>
                      <Form.Item>
                        <Button icon={<DeleteOutlined />} danger onClick={() => remove(item.name)}>
                          删除
                        </Button>
                      </Form.Item>
                    </Col>
                  </Row>
                ))}
                <Space>
                  <Button id="pool-rules-add-staff" icon={<PlusOutlined />} onClick={() => add({})}>
                    添加人员规则
                  </Button>
                </Space>
              </>
            )}
          </Form.List>
        </Card>
      </Form>
    </div>
  );
}
