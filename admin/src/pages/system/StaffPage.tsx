import { useState } from 'react';
import { App as AntApp, Button, Card, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { staffRoleLabels, staffRoles, type InviteCode, type StaffMember, type StaffRole } from '@qiao/shared';
import { createInviteCode, listStaff } from '../../api/staff';
import { useSession } from '../../auth/useSession';
import { FilterSelect, ListFilters, SearchInput } from '../../components/ListFilters';
import { PageHeading } from '../../components/PageHeading';
import { PagedTable } from '../../components/RemoteTable';
import { orDash } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useEditing } from '../../lib/useEditing';
import { useListParams } from '../../lib/useListParams';
import { toApiError, useRemote } from '../../lib/useRemote';
import { BindingEventsModal } from './BindingEventsModal';
import { InviteCodeModal } from './InviteCodeModal';
import { StaffFormModal } from './StaffFormModal';

export interface StaffPageProps {
  /** 服务 → 服务工程师: only engineers, for dispatchers. */
  engineersOnly?: boolean;
}

const roleOptions = staffRoles.map((value) => ({ value, label: staffRoleLabels[value] }));

function isRole(value: string): value is StaffRole {
  return (staffRoles as readonly string[]).includes(value);
}

function Tags({ values }: { values: string[] }) {
  if (values.length === 0) return <>—</>;
  return (
    <Space size={[0, 4]} wrap>
      {values.map((value) => (
        <Tag key={value}>{value}</Tag>
      ))}
    </Space>
  );
}

/** 职员与部门 (and 服务工程师): accounts, roles, engineers' service areas, WeChat invite codes. */
export default function StaffPage({ engineersOnly = false }: StaffPageProps) {
  const title = engineersOnly ? '服务工程师' : '职员与部门';
  useDocumentTitle(title);
  const { message } = AntApp.useApp();
  const session = useSession();
  // Creating and editing staff is the administrator's (POST/PUT /staff); invite codes the dispatcher's too.
  const canEdit = session?.user.role === 'admin';
  const { page, pageSize, q, filters, update, paging } = useListParams(['role'] as const);
  const role: StaffRole | undefined = engineersOnly ? 'engineer' : isRole(filters.role) ? filters.role : undefined;
  const editing = useEditing<StaffMember>();
  const [invite, setInvite] = useState<{ code: InviteCode; name: string } | null>(null);
  const [inviting, setInviting] = useState<string | null>(null);
  const [bindings, setBindings] = useState<StaffMember | null>(null);

  const list = useRemote((signal) => listStaff({ page, pageSize, q: q || undefined, role }, signal), [page, pageSize, q, role]);

  const generateInvite = async (member: StaffMember) => {
    setInviting(member.id);
    try {
      setInvite({ code: await createInviteCode(member.id), name: member.name });
    } catch (error) {
      message.error(toApiError(error).message);
    } finally {
      setInviting(null);
    }
  };

  const columns: TableColumnsType<StaffMember> = [
    {
      title: '姓名',
      dataIndex: 'name',
      render: (_, row) => (
        <div>
          <Typography.Text strong>{row.name}</Typography.Text>
          <div>
            <Typography.Text type="secondary">{row.username}</Typography.Text>
          </div>
        </div>
      ),
    },
    { title: '角色', dataIndex: 'role', width: 110, render: (value: StaffRole) => <Tag color="blue">{staffRoleLabels[value]}</Tag> },
    { title: '部门', dataIndex: 'departmentName', width: 120, render: (value: string) => orDash(value) },
    { title: '手机号', dataIndex: 'phone', width: 120, render: (value: string) => orDash(value) },
    { title: '服务地区', dataIndex: 'regions', render: (values: string[]) => <Tags values={values} /> },
    { title: '产品线', dataIndex: 'productLines', render: (values: string[]) => <Tags values={values} /> },
    { title: '在办工单', dataIndex: 'openWorkOrders', width: 90, align: 'right' },
    {
      title: '微信',
      dataIndex: 'wechatBound',
      width: 90,
      render: (bound: boolean) => (bound ? <Tag color="green">已绑定</Tag> : <Tag>未绑定</Tag>),
    },
    {
      title: '状态',
      dataIndex: 'active',
      width: 80,
      render: (active: boolean) => (active ? <Tag color="success">启用</Tag> : <Tag color="default">停用</Tag>),
    },
    {
      title: '操作',
      width: canEdit ? 260 : 200,
      render: (_, row) => (
        <Space size={0}>
          {canEdit ? (
            <Button type="link" size="small" className="staff-edit" onClick={() => editing.edit(row)}>
              编辑
            </Button>
          ) : null}
          <Button
            type="link"
            size="small"
            className="invite-code-button"
            data-staff-id={row.id}
            icon={<KeyOutlined />}
            disabled={!row.active}
            loading={inviting === row.id}
            onClick={() => generateInvite(row)}
          >
            生成邀请码
          </Button>
          {row.wechatBound ? (
            <Button type="link" size="small" className="binding-events-button" onClick={() => setBindings(row)}>
              绑定记录
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <div>
      <PageHeading
        area={engineersOnly ? '服务' : '系统'}
        title={title}
        extra={
          canEdit ? (
            <Button id="staff-create" type="primary" icon={<PlusOutlined />} onClick={editing.create}>
              {engineersOnly ? '新增工程师' : '新增职员'}
            </Button>
          ) : null
        }
      />
      <Card>
        <ListFilters>
          <SearchInput id="staff-search" value={q} placeholder="姓名、账号、手机号、部门" width={260} onSearch={(value) => update({ q: value })} />
          {engineersOnly ? null : (
            <FilterSelect
              id="staff-role-filter"
              placeholder="角色"
              width={140}
              options={roleOptions}
              value={role}
              onChange={(value) => update({ role: value ?? '' })}
            />
          )}
        </ListFilters>
        <PagedTable<StaffMember>
          id="staff-table"
          columns={columns}
          list={list}
          {...paging}
          scroll={{ x: 'max-content' }}
          unit="人"
          emptyText={q || role ? (engineersOnly && !q ? '暂无服务工程师' : '没有符合条件的职员') : '暂无职员'}
        />
      </Card>
      <StaffFormModal
        open={editing.open}
        member={editing.record}
        defaultRole={engineersOnly ? 'engineer' : role}
        onClose={editing.close}
        onSaved={(saved) => {
          editing.close();
          message.success(`已保存职员 ${saved.name}`);
          list.reload();
        }}
      />
      <InviteCodeModal invite={invite} onClose={() => setInvite(null)} />
      <BindingEventsModal member={bindings} onClose={() => setBindings(null)} />
    </div>
  );
}
