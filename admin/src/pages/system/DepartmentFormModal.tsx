import { Form, Row } from 'antd';
import { departmentCreateSchema, type DepartmentNode } from '@qiao/shared';
import { createDepartment, updateDepartment } from '../../api/departments';
import { DepartmentSelect } from '../../components/DepartmentSelect';
import { FormModal } from '../../components/FormModal';
import { SchemaField } from '../../components/SchemaField';
import { useModalForm } from '../../lib/useModalForm';

/** What the modal does: a new department (under `parent`, or at the top), a rename or a move. */
export type DepartmentAction =
  | { kind: 'create'; parent: DepartmentNode | null }
  | { kind: 'rename'; department: DepartmentNode }
  | { kind: 'move'; department: DepartmentNode };

export interface DepartmentFormModalProps {
  action: DepartmentAction | null;
  onClose: () => void;
  onSaved: (message: string) => void;
}

interface DepartmentForm {
  name?: string;
  parentId?: string;
}

const fields = departmentCreateSchema.shape;

function titleOf(action: DepartmentAction): string {
  if (action.kind === 'create') return action.parent ? `在“${action.parent.name}”下新增部门` : '新增顶级部门';
  if (action.kind === 'rename') return `重命名“${action.department.name}”`;
  return `移动“${action.department.name}”`;
}

/** 新增 / 重命名 / 移动部门; the server refuses a move under the department's own subtree (409). */
export function DepartmentFormModal({ action, onClose, onSaved }: DepartmentFormModalProps) {
  const { form, run, modal } = useModalForm<DepartmentForm>(action !== null, {
    initialValues: () =>
      action?.kind === 'rename'
        ? { name: action.department.name }
        : action?.kind === 'move'
          ? { parentId: action.department.parentId ?? '' }
          : undefined,
    deps: [action],
  });

  const submit = async () => {
    if (!action) return;
    const values = await form.validateFields();
    await run(async () => {
      const name = (values.name ?? '').trim();
      if (action.kind === 'create') {
        await createDepartment({ name, parentId: action.parent?.id ?? null });
        onSaved(`已新增部门 ${name}`);
      } else if (action.kind === 'rename') {
        await updateDepartment(action.department.id, { name });
        onSaved(`已重命名为 ${name}`);
      } else {
        await updateDepartment(action.department.id, { parentId: values.parentId || null });
        onSaved(`已移动部门 ${action.department.name}`);
      }
    });
  };

  return (
    <FormModal {...modal} name="department" title={action ? titleOf(action) : ''} width={480} onSubmit={submit} onClose={onClose}>
      <Row>
        {action?.kind === 'move' ? (
          <Form.Item name="parentId" label="新的上级部门" extra="留空则移到顶级；不能选择它自己或它的下级部门" style={{ width: '100%' }}>
            <DepartmentSelect id="department-parent" placeholder="顶级部门" excludeSubtreeOf={action.department.id} />
          </Form.Item>
        ) : (
          <SchemaField span={24} name="name" label="部门名称" required schema={fields.name} placeholder="例如 华东服务部" maxLength={50} />
        )}
      </Row>
    </FormModal>
  );
}
