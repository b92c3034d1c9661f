// 撞单规则 (admin): which fields take part in the duplicate check, exact or similar (with a
// threshold), which columns the conflict list shows, and whether a conflicting lead may be saved.
import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Flex, Radio, Slider, Space, Switch, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import {
  defaultDuplicateSettings,
  duplicateFieldLabels,
  duplicateFields,
  duplicateSettingsSchema,
  type DuplicateField,
  type DuplicateRule,
  type DuplicateSettings,
} from '@qiao/shared';
import { getDuplicateSettings, saveDuplicateSettings } from '../../api/leads';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeading } from '../../components/PageHeading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { toApiError, useRemote } from '../../lib/useRemote';

type ShowField = DuplicateSettings['showFields'][number];
const showFieldLabels: Record<ShowField, string> = {
  company: '公司名称',
  name: '联系人',
  phone: '电话',
  email: '邮箱',
  owner: '负责人',
  status: '状态',
  createdAt: '创建时间',
};
const fieldHints: Record<DuplicateField, string> = {
  company: '忽略地名、括号和“有限公司”等后缀，如 杭州蓝鲸科技有限公司 = 蓝鲸科技（杭州）有限公司',
  phone: '忽略 +86、空格和横线；座机有无区号视为同一号码',
  name: '联系人姓名，相似模式按字形相近程度计算',
  email: '不区分大小写',
};

interface Row {
  field: DuplicateField;
  enabled: boolean;
  mode: DuplicateRule['mode'];
  threshold: number;
}

function rowsOf(settings: DuplicateSettings): Row[] {
  return duplicateFields.map((field) => {
    const rule = settings.rules.find((r) => r.field === field);
    return { field, enabled: Boolean(rule), mode: rule?.mode ?? 'exact', threshold: rule?.threshold ?? 0.85 };
  });
}

export default function DuplicateRulesPage() {
  useDocumentTitle('撞单规则');
  const { message } = AntApp.useApp();
  const stored = useRemote((signal) => getDuplicateSettings(signal), []);
  const [rows, setRows] = useState<Row[]>(rowsOf(defaultDuplicateSettings));
  const [showFields, setShowFields] = useState<ShowField[]>(defaultDuplicateSettings.showFields);
  const [allowSave, setAllowSave] = useState(defaultDuplicateSettings.allowSave);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!stored.data) return;
    setRows(rowsOf(stored.data));
    setShowFields(stored.data.showFields);
    setAllowSave(stored.data.allowSave);
  }, [stored.data]);

  const change = (field: DuplicateField, patch: Partial<Row>) => setRows((all) => all.map((row) => (row.field === field ? { ...row, ...patch } : row)));

  const save = async () => {
    const candidate = {
      rules: rows.filter((row) => row.enabled).map((row) => ({ field: row.field, mode: row.mode, threshold: row.mode === 'exact' ? 1 : row.threshold })),
      showFields,
      allowSave,
    };
    const parsed = duplicateSettingsSchema.safeParse(candidate);
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? '设置不正确');
      return;
    }
    setProblem(null);
    setSaving(true);
    try {
      stored.setData(await saveDuplicateSettings(parsed.data));
      message.success('撞单规则已保存，新建和编辑线索时立即生效');
    } catch (error) {
      setProblem(toApiError(error).message);
    } finally {
      setSaving(false);
    }
  };

  const columns: TableColumnsType<Row> = [
    {
      title: '参与撞单',
      dataIndex: 'enabled',
      width: 150,
      render: (_, row) => (
        <Checkbox id={`duplicate-rule-${row.field}`} checked={row.enabled} onChange={(event) => change(row.field, { enabled: event.target.checked })}>
          {duplicateFieldLabels[row.field]}
        </Checkbox>
      ),
    },
    {
      title: '匹配方式',
      dataIndex: 'mode',
      width: 200,
      render: (_, row) => (
        <Radio.Group
          id={`duplicate-mode-${row.field}`}
          disabled={!row.enabled}
          value={row.mode}
          onChange={(event) => change(row.field, { mode: event.target.value as DuplicateRule['mode'] })}
          options={[
            { value: 'exact', label: '完全一致' },
            { value: 'similar', label: '相似' },
          ]}
        />
      ),
    },
    {
      title: '相似度阈值',
      dataIndex: 'threshold',
      width: 260,
      render: (_, row) =>
        row.mode === 'similar' ? (
          <Flex align="center" gap={8}>
            <Slider
              id={`duplicate-threshold-${row.field}`}
              style={{ flex: 1 }}
              disabled={!row.enabled}
              min={50}
              max={100}
              value={Math.round(row.threshold * 100)}
              onChange={(value) => change(row.field, { threshold: value / 100 })}
              tooltip={{ formatter: (value) => `${value}%` }}
            />
            <span style={{ width: 40 }}>{Math.round(row.threshold * 100)}%</span>
          </Flex>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    { title: '说明', dataIndex: 'field', render: (field: DuplicateField) => <Typography.Text type="secondary">{fieldHints[field]}</Typography.Text> },
  ];

  return (
    <div id="duplicate-rules-page">
      <PageHeading area="系统" title="撞单规则" />
      <ErrorAlert error={stored.error} onRetry={stored.reload} title="撞单规则加载失败" />
      <Card>
        <Space direction="vertical" size={24} style={{ width: '100%' }}>
          <div>
            <Typography.Title level={5}>参与撞单的字段</Typography.Title>
            <Typography.Paragraph type="secondary">新线索与已有线索、客户（含其联系人）比对，任一字段匹配即视为撞单。</Typography.Paragraph>
            <Table<Row> rowKey="field" size="small" pagination={false} columns={columns} dataSource={rows} loading={stored.loading} />
          </div>
          <div>
            <Typography.Title level={5}>撞单列表显示的列</Typography.Title>
            <div id="duplicate-show-fields">
              <Checkbox.Group
                value={showFields}
                onChange={(values) => setShowFields(values as ShowField[])}
                options={(Object.keys(showFieldLabels) as ShowField[]).map((value) => ({ value, label: showFieldLabels[value] }))}
              />
            </div>
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
              无权查看的记录，电话和邮箱始终打码显示；负责人姓名照常显示，便于沟通。
            </Typography.Paragraph>
          </div>
          <div>
            <Typography.Title level={5}>撞单时</Typography.Title>
            <Space>
              <Switch id="duplicate-allow-save" checked={allowSave} onChange={setAllowSave} />
              <span>{allowSave ? '提示撞单，确认后仍可保存' : '禁止保存撞单的线索'}</span>
            </Space>
          </div>
          {problem ? <Alert type="error" showIcon message={problem} /> : null}
          <div>
            <Button id="duplicate-rules-save" type="primary" loading={saving} onClick={() => void save()}>
              保存
            </Button>
          </div>
        </Space>
      </Card>
    </div>
  );
}
