import { TreeSelect } from 'antd';
import type { DepartmentNode } from '@qiao/shared';
import { getDepartmentTree } from '../api/departments';
import { useRemote } from '../lib/useRemote';

export interface DepartmentSelectProps {
  id?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
  placeholder?: string;
  /** Departments that may not be chosen, with their subtrees (e.g. a department's own, when moving it). */
  excludeSubtreeOf?: string;
  disabled?: boolean;
}

interface Option {
  value: string;
  title: string;
  children: Option[];
}

function toOptions(nodes: DepartmentNode[], exclude: string | undefined): Option[] {
  return nodes
    .filter((node) => node.id !== exclude)
    .map((node) => ({ value: node.id, title: node.name, children: toOptions(node.children, exclude) }));
}

/** 部门 picker over the department tree (GET /departments); empty means no department. */
export function DepartmentSelect({ id, value, onChange, placeholder = '选择部门', excludeSubtreeOf, disabled }: DepartmentSelectProps) {
  const tree = useRemote((signal) => getDepartmentTree(signal), []);
  return (
    <TreeSelect
      id={id}
      value={value || undefined}
      onChange={(next: string | undefined) => onChange?.(next ?? '')}
      treeData={toOptions(tree.data ?? [], excludeSubtreeOf)}
      treeDefaultExpandAll
      showSearch
      treeNodeFilterProp="title"
      allowClear
      disabled={disabled}
      loading={tree.loading}
      placeholder={placeholder}
      notFoundContent={tree.error ? tree.error.message : '暂无部门，请先在 系统 / 部门管理 中添加'}
      popupMatchSelectWidth={false}
    />
  );
}

/** A department anywhere in the tree, by id. */
export function findDepartment(nodes: DepartmentNode[], id: string): DepartmentNode | undefined {
  for (const node of nodes) {
    if (node.id === id) return node;
    const below = findDepartment(node.children, id);
    if (below) return below;
  }
  return undefined;
}
