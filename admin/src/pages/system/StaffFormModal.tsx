import { useEffect } from 'react';
import { Alert, Col, Form, Input, Modal, Row, Select, Switch } from 'antd';
import { staffCreateSchema, staffRoleLabels, staffRoles, staffUpdateSchema, type StaffMember, type StaffRole } from '@qiao/shared';
import { createStaff, updateStaff } from '../../api/staff';
import { useSubmit } from '../../lib/useSubmit';
import { parseForm, zodRule } from '../../lib/zodForm';

export interface StaffFormModalProps {
  open: boolean;
  /** The staff member to edit; null to create one. */
  member: StaffMember | null;
  /** Role preselected when creating (the engineers page creates engineers). */
  defaultRole?: StaffRole;
  onClose: () => void;
  onSaved: (member: StaffMember) => void;
}

interface StaffForm {
  username?: string;
  name?: string;
  password?: string;
  role?: StaffRole;
  department?: string;
  phone?: string;
  regions?: string[];
  productLines?: string[];
  active?: boolean;
}

const create = staffCreateSchema.shape;
const roleOptions = staffRoles.map((value) => ({ value, label: staffRoleLabels[value] }));

/** 新增/编辑职员, validated with staffCreateSchema / staffUpdateSchema. */
export function StaffFormModal({ open, member, defaultRole, onClose, onSaved }: StaffFormModalProps) {
  const [form] = Form.useForm<StaffForm>();
  const role = Form.useWatch('role', form);
  const { submitting, failure, run, reset } = useSubmit(form);
  const isEngineer = role === 'engineer';

  useEffect(() => {
    if (!open) return;
    reset();
    form.resetFields();
    form.setFieldsValue(
      member
        ? {
            name: member.name,
            role: member.role,
            department: member.department,
            phone: member.phone,
            regions: member.regions,
            productLines: member.productLines,
            active: member.active,
          }
        : { role: defaultRole, regions: [], productLines: [], active: true },
    );
  }, [open, member, defaultRole, form, reset]);

  const submit = async () => {
    const values = await form.validateFields();
    const common = {
      name: values.name ?? '',
      role: values.role,
      department: values.department ?? '',
      phone: values.phone ?? '',
      // Service areas only mean something for engineers.
      regions: values.role === 'engineer' ? (values.regions ?? []) : [],
      productLines: values.role === 'engineer' ? (values.productLines ?? []) : [],
    };
    await run(async () => {
      if (member) {
        const body = parseForm(form, staffUpdateSchema, {
          ...common,
          active: values.active ?? true,
          ...(values.password ? { password: values.password } : {}),
        });
        if (body) onSaved(await updateStaff(member.id, body));
      } else {
        const body = parseForm(form, staffCreateSchema, { ...common, username: values.username ?? '', password: values.password ?? '' });
        if (body) onSaved(await createStaff(body));
      }
    });
  };

  const tagSelect = (id: string, placeholder: string) => (
    <Select id={id} mode="tags" tokenSeparators={[',', '，', ' ']} placeholder={placeholder} notFoundContent={null} suffixIcon={null} />
  );

  return (
    <Modal
      open={open}
      title={member ? `编辑职员 ${member.name}` : '新增职员'}
      width={640}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText="保存"
      okButtonProps={{ id: 'staff-save' }}
      confirmLoading={submitting}
      destroyOnHidden
      modalRender={(node) => <div id="staff-modal">{node}</div>}
    >
      <Form form={form} layout="vertical" name="staff" style={{ marginTop: 16 }}>
        <Row gutter={16}>
          {member ? null : (
            <Col span={12}>
              <Form.Item name="username" label="登录账号" required rules={[zodRule(create.username)]}>
                <Input autoComplete="off" maxLength={32} placeholder="字母、数字、下划线、点" />
              </Form.Item>
            </Col>
          )}
          <Col span={12}>
            <Form.Item name="name" label="姓名" required rules={[zodRule(create.name)]}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="password"
              label={member ? '重置密码' : '初始密码'}
              required={!member}
              rules={member ? [{ min: 8, message: '密码至少 8 位' }] : [zodRule(create.password)]}
              extra={member ? '留空则不修改' : undefined}
            >
              <Input.Password autoComplete="new-password" maxLength={128} placeholder="至少 8 位" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
              <Select id="staff-role" options={roleOptions} placeholder="选择角色" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="department" label="部门" rules={[zodRule(create.department)]}>
              <Input maxLength={50} placeholder="例如 华东服务部" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="phone" label="手机号" rules={[zodRule(create.phone)]}>
              <Input maxLength={11} inputMode="numeric" placeholder="选填" />
            </Form.Item>
          </Col>
          {member ? (
            <Col span={12}>
              <Form.Item name="active" label="账号状态" valuePropName="checked">
                <Switch checkedChildren="启用" unCheckedChildren="停用" />
              </Form.Item>
            </Col>
          ) : null}
          {isEngineer ? (
            <>
              <Col span={24}>
                <Form.Item name="regions" label="服务地区" extra="输入后按回车添加，派工时按地区推荐">
                  {tagSelect('staff-regions', '例如 上海、杭州')}
                </Form.Item>
              </Col>
              <Col span={24}>
                <Form.Item name="productLines" label="产品线" extra="输入后按回车添加，派工时按产品线推荐">
                  {tagSelect('staff-product-lines', '例如 空调、热水器')}
                </Form.Item>
              </Col>
            </>
          ) : null}
        </Row>
      </Form>
      {failure ? <Alert type="error" showIcon message={failure.message} /> : null}
    </Modal>
  );
}
