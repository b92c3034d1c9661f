// 新建/编辑线索 with the duplicate check (撞单): a refusal shows the conflicting leads and customers
// in the form; in warning mode the person may still save (仍然保存) after seeing them. Opened
// prefilled from elsewhere too (an Official Account conversation's 转为线索 passes `initial`).
import { useState } from 'react';
import { Alert, Button, Col, Form, Input, Modal, Row, Select, Space } from 'antd';
import { leadInputSchema, leadUpdateSchema, type DuplicateMatch, type Lead, type LeadInput, type LeadInputDraft } from '@qiao/shared';
import { checkDuplicates, createLead, duplicateOf, updateLead } from '../../api/leads';
import { listStaff } from '../../api/staff';
import type { ApiError } from '../../api/client';
import { useSession } from '../../auth/useSession';
import { SchemaField } from '../../components/SchemaField';
import { useModalForm } from '../../lib/useModalForm';
import { toApiError, useRemote } from '../../lib/useRemote';
import { parseForm } from '../../lib/zodForm';
import { DuplicateConflicts } from './DuplicateConflicts';

export interface LeadFormModalProps {
  open: boolean;
  /** The lead to edit; absent to create one. */
  lead?: Lead | null;
  /** Prefilled values of a new lead. */
  initial?: Partial<LeadInput>;
  onClose: () => void;
  onSaved: (lead: Lead) => void;
}

interface LeadForm {
  company?: string;
  name?: string;
  phone?: string;
  email?: string;
  region?: string;
  industry?: string;
  products?: string[];
  notes?: string;
  ownerId?: string;
}

const fields = leadInputSchema.shape;
const TEXT_FIELDS = ['company', 'name', 'phone', 'email', 'region', 'industry', 'notes'] as const;

function formValues(source: Partial<LeadInput> | Lead | null | undefined): LeadForm {
  if (!source) return {};
  const values: LeadForm = { products: [...(source.products ?? [])] };
  for (const field of TEXT_FIELDS) values[field] = source[field] ?? '';
  if ('ownerId' in source && source.ownerId) values.ownerId = source.ownerId;
  return values;
}

export function LeadFormModal({ open, lead, initial, onClose, onSaved }: LeadFormModalProps) {
  const role = useSession()?.user.role;
  const canChooseOwner = !lead && (role === 'admin' || role === 'manager');
  const [conflicts, setConflicts] = useState<{ matches: DuplicateMatch[]; allowSave: boolean } | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const { form } = useModalForm<LeadForm>(open, { initialValues: () => formValues(lead ?? initial), deps: [lead, initial] });
  const sales = useRemote((signal) => (open && canChooseOwner ? listStaff({ role: 'sales', pageSize: 100 }, signal) : Promise.resolve(null)), [open, canChooseOwner]);
  const ownerOptions = (sales.data?.items ?? []).filter((member) => member.active).map((member) => ({ value: member.id, label: member.name }));

  const close = () => {
    setConflicts(null);
    setFailure(null);
    onClose();
  };

  const save = async (confirm: boolean) => {
    const values = await form.validateFields();
    const draft: LeadInputDraft = {
      ...Object.fromEntries(TEXT_FIELDS.map((field) => [field, values[field] ?? ''])),
      name: values.name ?? '',
      products: values.products ?? [],
      ...(canChooseOwner && values.ownerId ? { ownerId: values.ownerId } : {}),
      ...(!lead && initial?.wechatUserId ? { wechatUserId: initial.wechatUserId } : {}),
    };
    const body = parseForm(form, leadInputSchema, draft);
    if (!body) return;
    setSaving(true);
    setFailure(null);
    try {
      if (lead) {
        const { ownerId: _owner, wechatUserId: _wechat, ...rest } = body;
        const patch = parseForm(form, leadUpdateSchema, rest);
        if (!patch) return;
        onSaved(await updateLead(lead.id, patch, { confirm }));
      } else {
        // Warning mode: show what the lead collides with before saving it; refuse mode: the server says so.
        if (!confirm) {
          const check = await checkDuplicates({ company: body.company, name: body.name, phone: body.phone, email: body.email });
          if (check.conflict && check.allowSave) {
            setConflicts({ matches: check.matches, allowSave: true });
            return;
          }
        }
        onSaved((await createLead(body, { confirm })).lead);
      }
      setConflicts(null);
    } catch (error) {
      const duplicate = duplicateOf(error);
      if (duplicate) setConflicts(duplicate);
      else setFailure(toApiError(error));
    } finally {
      setSaving(false);
    }
  };

  const footer = (
    <Space>
      <Button onClick={close}>取消</Button>
      {conflicts?.allowSave ? (
        <Button id="lead-form-confirm" danger loading={saving} onClick={() => void save(true).catch(() => undefined)}>
          仍然保存
        </Button>
      ) : null}
      <Button id="lead-form-submit" type="primary" loading={saving} onClick={() => void save(false).catch(() => undefined)}>
        保存
      </Button>
    </Space>
  );

  return (
    <Modal
      open={open}
      title={lead ? `编辑线索 · ${lead.company || lead.name}` : '新建线索'}
      width={760}
      onCancel={close}
      footer={footer}
      destroyOnHidden
      modalRender={(node) => <div id="lead-form-modal">{node}</div>}
    >
      <Form form={form} layout="vertical" name="lead-form" style={{ marginTop: 16 }} onValuesChange={() => setConflicts(null)}>
        <Row gutter={16}>
          <SchemaField span={12} name="company" label="公司名称" schema={fields.company}>
            <Input id="lead-form-company" placeholder="例如 杭州蓝鲸科技有限公司" maxLength={100} />
          </SchemaField>
          <SchemaField span={12} name="name" label="联系人" required schema={fields.name}>
            <Input id="lead-form-name" placeholder="联系人姓名" maxLength={50} />
          </SchemaField>
          <SchemaField span={12} name="phone" label="电话" schema={fields.phone} extra="手机或座机，如 138 0013 8000、0571-8888 6666">
            <Input id="lead-form-phone" maxLength={30} />
          </SchemaField>
          <SchemaField span={12} name="email" label="邮箱" schema={fields.email}>
            <Input id="lead-form-email" maxLength={100} />
          </SchemaField>
          <SchemaField span={12} name="region" label="地区" schema={fields.region}>
            <Input id="lead-form-region" maxLength={50} />
          </SchemaField>
          <SchemaField span={12} name="industry" label="行业" schema={fields.industry}>
            <Input id="lead-form-industry" maxLength={50} />
          </SchemaField>
          <Col span={canChooseOwner ? 12 : 24}>
            <Form.Item name="products" label="意向产品">
              <Select id="lead-form-products" mode="tags" placeholder="输入后回车添加" tokenSeparators={[',', '，']} open={false} />
            </Form.Item>
          </Col>
          {canChooseOwner ? (
            <Col span={12}>
              <Form.Item name="ownerId" label="负责销售" extra="留空则为未分配线索">
                <Select id="lead-form-owner" allowClear showSearch optionFilterProp="label" options={ownerOptions} loading={sales.loading} placeholder="选择销售人员" />
              </Form.Item>
            </Col>
          ) : null}
          <SchemaField span={24} name="notes" label="备注" schema={fields.notes}>
            <Input.TextArea id="lead-form-notes" rows={3} maxLength={1000} showCount />
          </SchemaField>
        </Row>
      </Form>
      {failure ? <Alert type="error" showIcon message={failure.message} /> : null}
      {conflicts ? <DuplicateConflicts matches={conflicts.matches} allowSave={conflicts.allowSave} /> : null}
    </Modal>
  );
}
