import { useState } from 'react';
import { App as AntApp, Button, Card, Empty, Flex, Space, Spin, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { DeleteOutlined, DragOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import type { DepartmentNode } from '@qiao/shared';
import { deleteDepartment, getDepartmentTree } from '../../api/departments';
import type { ApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeading } from '../../components/PageHeading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { toApiError, useRemote } from '../../lib/useRemote';
import { DepartmentFormModal, type DepartmentAction } from './DepartmentFormModal';

type Node = TreeDataNode & { department: DepartmentNode };

function toTreeData(nodes: DepartmentNode[]): Node[] {
  return nodes.map((department) => ({ key: department.id, title: department.name, department, children: toTreeData(department.children) }));
}

const shapeKey = (nodes: DepartmentNode[]): string => nodes.map((node) => `${node.id}(${shapeKey(node.children)})`).join(',');

/** 部门管理: the department tree — add a sub-department, rename, move under another parent, delete. */
export default function DepartmentsPage() {
  useDocumentTitle('部门管理');
  const { message, modal } = AntApp.useApp();
  const tree = useRemote((signal) => getDepartmentTree(signal), []);
  const [action, setAction] = useState<DepartmentAction | null>(null);
  const [refused, setRefused] = useState<ApiError | null>(null);

  const open = (next: DepartmentAction) => {
    setRefused(null);
    setAction(next);
  };

  const confirmDelete = (department: DepartmentNode) => {
    setRefused(null);
    modal.confirm({
      title: `删除部门“${department.name}”？`,
      content: '删除后不可恢复。还有下级部门、职员或客户的部门不能删除。',
      okText: '删除',
      okButtonProps: { danger: true, id: 'department-delete-confirm' },
      cancelText: '取消',
      onOk: async () => {
        try {
          await deleteDepartment(department.id);
          message.success(`已删除部门 ${department.name}`);
        } catch (error) {
          setRefused(toApiError(error));
        }
        tree.reload();
      },
    });
  };

  const titleRender = (node: Node) => {
    const department = node.department;
    return (
      <Flex className="department-node" data-department-id={department.id} align="center" gap={8}>
        <Typography.Text className="department-name">{department.name}</Typography.Text>
        <Space size={0} className="department-actions">
          <Button type="link" size="small" icon={<PlusOutlined />} className="department-add-child" onClick={() => open({ kind: 'create', parent: department })}>
            新增下级
          </Button>
          <Button type="link" size="small" icon={<EditOutlined />} className="department-rename" onClick={() => open({ kind: 'rename', department })}>
            重命名
          </Button>
          <Button type="link" size="small" icon={<DragOutlined />} className="department-move" onClick={() => open({ kind: 'move', department })}>
            移动
          </Button>
          <Button type="link" size="small" danger icon={<DeleteOutlined />} className="department-delete" onClick={() => confirmDelete(department)}>
            删除
          </Button>
        </Space>
      </Flex>
    );
  };

  const data = tree.data ?? [];
  return (
    <div>
      <PageHeading
        area="系统"
        title="部门管理"
        extra={
          <Button id="department-create" type="primary" icon={<PlusOutlined />} onClick={() => open({ kind: 'create', parent: null })}>
            新增顶级部门
          </Button>
        }
      />
      <Card>
        <Typography.Paragraph type="secondary">
          主管、调度和销售可以看到本部门及所有下级部门的客户、联系人、产品档案、服务请求和回访；系统管理员可以看到全部。
        </Typography.Paragraph>
        <ErrorAlert error={tree.error} onRetry={tree.reload} />
        <ErrorAlert error={refused} title="无法删除" />
        {tree.loading && !tree.data ? (
          <Spin />
        ) : data.length === 0 ? (
          <Empty description="暂无部门，点击右上角新增" />
        ) : (
          <div id="department-tree">
            {/* Keyed by the tree's shape so that added and moved departments are shown expanded too. */}
            <Tree<Node> key={shapeKey(data)} blockNode selectable={false} defaultExpandAll treeData={toTreeData(data)} titleRender={titleRender} />
          </div>
        )}
      </Card>
      <DepartmentFormModal
        action={action}
        onClose={() => setAction(null)}
        onSaved={(text) => {
          setAction(null);
          message.success(text);
          tree.reload();
        }}
      />
    </div>
  );
}
