import { AutoComplete, Row, Select } from 'antd';
import { customerInputSchema, type Customer } from '@qiao/shared';
import { createCustomer, updateCustomer } from '../../api/customers';
import { listPoolOwners } from '../../api/pool';
import { useSession } from '../../auth/useSession';
import { DepartmentSelect } from '../../components/DepartmentSelect';
import { FormModal } from '../../components/FormModal';
import { SchemaField } from '../../components/SchemaField';
import { useModalForm } from '../../lib/useModalForm';
import { useRemote } from '../../lib/useRemote';
import { parseForm, textValues } from '../../lib/zodForm';

export interface CustomerFormModalProps {
  open: boolean;
  /** The customer to edit; null to create one. */
  customer: Customer | null;
  onClose: () => void;
  onSaved: (customer: Customer) => void;
}

type CustomerForm = Partial<Record<keyof typeof customerInputSchema.shape, string>>;

const fields = customerInputSchema.shape;
const fieldNames = Object.keys(fields) as Array<keyof typeof fields>;
/** The owner is chosen on create only (later: 转交 / 放回公海). */
const editNames = fieldNames.filter((name) => name !== 'ownerId');
const gradeOptions = ['A', 'B', 'C', 'VIP'].map((value) => ({ value }));

/** 新建/编辑客户, validated with customerInputSchema. */
export function CustomerFormModal({ open, customer, onClose, onSaved }: CustomerFormModalProps) {
  // A new customer starts in the creator's own department (the server does the same for an empty one).
  const session = useSession();
  const ownDepartment = session?.user.department ?? '';
  // Managers and admin may name the owner (专管业务员) of a new customer; a salesperson owns theirs.
  const picksOwner = !customer && (session?.user.role === 'manager' || session?.user.role === 'admin');
  const owners = useRemote((signal) => (open && picksOwner ? listPoolOwners(signal) : Promise.resolve(null)), [open, picksOwner]);
  const { form, run, modal } = useModalForm<CustomerForm>(open, {
    initialValues: () => (customer ? textValues(customer, editNames) : { department: ownDepartment }),
    deps: [customer, ownDepartment],
  });

  const submit = async () => {
    const values = await form.validateFields();
    const body = parseForm(form, customerInputSchema, textValues(values, customer ? editNames : fieldNames));
    if (!body) return;
    await run(async () => {
      onSaved(customer ? await updateCustomer(customer.id, body) : await createCustomer(body));
    });
  };

  return (
    <FormModal {...modal} name="customer" title={customer ? `编辑客户 ${customer.name}` : '新建客户'} width={640} onSubmit={submit} onClose={onClose}>
      <Row gutter={16}>
        <SchemaField span={12} name="name" label="客户名称" required schema={fields.name} placeholder="公司或个人名称" maxLength={100} />
        <SchemaField span={12} name="code" label="客户编码" schema={fields.code} extra="留空则自动生成，如 KH000001" placeholder="选填" maxLength={32} />
        <SchemaField
          span={12}
          name="region"
          label="所在地区"
          required
          schema={fields.region}
          extra="派工时按地区匹配工程师"
          placeholder="例如 上海、杭州"
          maxLength={50}
        />
        <SchemaField
          span={12}
          name="department"
          label="负责部门"
          schema={fields.department}
          extra="该部门及其上级部门的人员可以看到此客户的联系人、产品档案和服务请求"
        >
          <DepartmentSelect id="customer-department" placeholder="选择部门" />
        </SchemaField>
        <SchemaField span={12} name="industry" label="行业" schema={fields.industry} placeholder="选填" maxLength={50} />
        <SchemaField span={12} name="grade" label="客户等级" schema={fields.grade}>
          <AutoComplete options={gradeOptions} placeholder="选填，如 A、B、C" />
        </SchemaField>
        <SchemaField span={12} name="phone" label="电话" schema={fields.phone} placeholder="选填" maxLength={30} />
        <SchemaField span={24} name="address" label="地址" schema={fields.address} placeholder="选填" maxLength={200} />
        {picksOwner ? (
          <SchemaField span={12} name="ownerId" label="专管业务员" schema={fields.ownerId} extra="不选则进入客户公海；客户归入此人所在部门">
            <Select
              id="customer-owner"
              allowClear
              showSearch
              optionFilterProp="label"
              placeholder="选填"
              loading={owners.loading}
              options={(owners.data ?? []).map((owner) => ({ value: owner.id, label: owner.departmentName ? `${owner.name}（${owner.departmentName}）` : owner.name }))}
            />
          </SchemaField>
        ) : null}
      </Row>
    </FormModal>
  );
}
