import { Col, Form, Input, Row, Select, Switch } from 'antd';
import { passwordProblem, staffCreateSchema, staffRoleLabels, staffRoles, staffUpdateSchema, type StaffMember, type StaffRole } from '@qiao/shared';
import { createStaff, updateStaff } from '../../api/staff';
import { DepartmentSelect } from '../../components/DepartmentSelect';
import { FormModal } from '../../components/FormModal';
import { SchemaField } from '../../components/SchemaField';
import { useModalForm } from '../../lib/useModalForm';
import { parseForm, textValues } from '../../lib/zodForm';

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
  const { form, run, modal } = useModalForm<StaffForm>(open, {
    initialValues: () =>
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
    deps: [member, defaultRole],
  });
  const role = Form.useWatch('role', form);
  const isEngineer = role === 'engineer';

  const submit = async () => {
    const values = await form.validateFields();
    const common = {
      ...textValues(values, ['name', 'department', 'phone']),
      role: values.role,
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
    <FormModal {...modal} name="staff" title={member ? `编辑职员 ${member.name}` : '新增职员'} width={640} onSubmit={submit} onClose={onClose}>
      <Row gutter={16}>
        {member ? null : (
          <SchemaField span={12} name="username" label="登录账号" required schema={create.username}>
            <Input autoComplete="off" maxLength={32} placeholder="字母、数字、下划线、点" />
          </SchemaField>
        )}
        <SchemaField span={12} name="name" label="姓名" required schema={create.name} maxLength={50} />
        <Col span={12}>
          <Form.Item
            name="password"
            label={member ? '重置密码' : '初始密码'}
            required={!member}
            dependencies={['username']}
            rules={[
              {
                // The server's rule (shared): 8+ characters, letters and digits, not the account, not common.
                validator: async (_rule, value?: string) => {
                  if (!value) {
                    if (!member) throw new Error('请输入密码');
                    return;
                  }
                  const problem = passwordProblem(value, member?.username ?? form.getFieldValue('username'));
                  if (problem) throw new Error(problem);
                },
              },
            ]}
            extra={member ? '留空则不修改' : undefined}
          >
            <Input.Password autoComplete="new-password" maxLength={128} placeholder="至少 8 位，含字母和数字" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
            <Select id="staff-role" options={roleOptions} placeholder="选择角色" />
          </Form.Item>
        </Col>
        <SchemaField span={12} name="department" label="部门" schema={create.department} extra="主管、调度和销售可以看到本部门及下级部门的数据">
          <DepartmentSelect id="staff-department" placeholder="选择部门（选填）" />
        </SchemaField>
        <SchemaField span={12} name="phone" label="手机号" schema={create.phone}>
          <Input maxLength={11} inputMode="numeric" placeholder="选填" />
        </SchemaField>
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
    </FormModal>
  );
}
