// Ownership actions on one customer (客户 360 and the customer drawer render it): 转交, 放回公海,
// 协作人, 锁定 / 解锁 (managers), 申领 when it is in the pool. `onChanged` gets the customer as it is now.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Input, Modal, Popconfirm, Select, Space, Tag } from 'antd';
import type { Customer } from '@qiao/shared';
import { claimCustomer, listPoolOwners, lockCustomer, releaseCustomer, setCollaborators } from '../../api/pool';
import { useSession } from '../../auth/useSession';
import { toApiError, useRemote } from '../../lib/useRemote';
import { TransferModal } from './TransferModal';

export interface CustomerOwnershipActionsProps {
  customer: Customer;
  onChanged: (customer: Customer) => void;
}

export function CustomerOwnershipActions({ customer, onChanged }: CustomerOwnershipActionsProps) {
  const { message } = AntApp.useApp();
  const session = useSession();
  const role = session?.user.role;
  const isManager = role === 'manager' || role === 'admin';
  const isOwner = Boolean(customer.ownerId) && customer.ownerId === session?.user.id;
  const [transferring, setTransferring] = useState(false);
  const [releasing, setReleasing] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [sharing, setSharing] = useState(false);
  const [collaborators, setChosen] = useState<string[]>([]);
  const owners = useRemote((signal) => (sharing ? listPoolOwners(signal) : Promise.resolve(null)), [sharing]);

  const run = async (action: () => Promise<Customer>, done: string) => {
    setBusy(true);
    setFailure(null);
    try {
      const changed = await action();
      message.success(done);
      onChanged(changed);
      return true;
    } catch (error) {
      setFailure(toApiError(error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const share = async () => {
    if (await run(() => setCollaborators(customer.id, collaborators), '协作人已更新')) setSharing(false);
  };

  const release = async () => {
    if (await run(() => releaseCustomer(customer.id, reason.trim()), `已将 ${customer.name} 放回公海`)) setReleasing(false);
  };

  return (
    <div id="customer-ownership">
      <Space wrap>
        {customer.inPool ? <Tag color="gold">公海客户</Tag> : <Tag color="blue">专管：{customer.ownerName ?? '—'}</Tag>}
        {customer.locked ? <Tag color="red">已锁定</Tag> : null}
        {customer.inPool && (role === 'sales' || role === 'manager') ? (
          <Popconfirm title={`申领客户 ${customer.name}？`} okText="申领" cancelText="取消" onConfirm={() => void run(() => claimCustomer(customer.id), `已申领客户 ${customer.name}`)}>
            <Button id="ownership-claim" loading={busy}>
              申领
            </Button>
          </Popconfirm>
        ) : null}
        {isOwner || isManager ? (
          <Button id="transfer-open" onClick={() => setTransferring(true)} disabled={busy}>
            转交
          </Button>
        ) : null}
        {!customer.inPool && (isOwner || isManager) ? (
          <Button
            id="release-open"
            onClick={() => {
              setReason('');
              setFailure(null);
              setReleasing(true);
            }}
            disabled={busy}
          >
            放回公海
          </Button>
        ) : null}
        {!customer.inPool && (isOwner || isManager) ? (
          <Button
            id="collaborators-open"
            onClick={() => {
              setChosen(customer.collaboratorIds);
              setFailure(null);
              setSharing(true);
            }}
            disabled={busy}
          >
            协作人{customer.collaboratorIds.length ? `（${customer.collaboratorIds.length}）` : ''}
          </Button>
        ) : null}
        {isManager ? (
          <Button id="lock-toggle" onClick={() => void run(() => lockCustomer(customer.id, !customer.locked), customer.locked ? '已解锁' : '已锁定，不会自动退回公海')} disabled={busy}>
            {customer.locked ? '解锁' : '锁定'}
          </Button>
        ) : null}
      </Space>
      {failure && !releasing && !sharing ? <Alert type="error" showIcon message={failure} style={{ marginTop: 12 }} /> : null}
      <TransferModal
        customer={customer}
        open={transferring}
        onClose={() => setTransferring(false)}
        onTransferred={(changed) => {
          setTransferring(false);
          message.success(`已转交给 ${changed.ownerName ?? ''}`);
          onChanged(changed);
        }}
      />
      <Modal
        open={sharing}
        title={`协作人 · ${customer.name}`}
        okText="保存"
        okButtonProps={{ id: 'collaborators-submit', loading: busy }}
        onOk={() => void share()}
        onCancel={() => setSharing(false)}
        destroyOnHidden
      >
        {failure ? <Alert type="error" showIcon message={failure} style={{ marginBottom: 12 }} /> : null}
        <Select<string[]>
          id="collaborators-select"
          mode="multiple"
          style={{ width: '100%' }}
          placeholder="选择协作的同事（可查看和跟进该客户）"
          optionFilterProp="label"
          loading={owners.loading}
          value={collaborators}
          onChange={setChosen}
          options={(owners.data ?? [])
            .filter((owner) => owner.id !== customer.ownerId)
            .map((owner) => ({ value: owner.id, label: owner.departmentName ? `${owner.name}（${owner.departmentName}）` : owner.name }))}
        />
      </Modal>
      <Modal
        open={releasing}
        title={`放回公海 · ${customer.name}`}
        okText="放回公海"
        okButtonProps={{ id: 'release-submit', danger: true, disabled: !reason.trim(), loading: busy }}
        onOk={() => void release()}
        onCancel={() => setReleasing(false)}
        destroyOnHidden
      >
        {failure ? <Alert type="error" showIcon message={failure} style={{ marginBottom: 12 }} /> : null}
        <Input.TextArea id="release-reason" value={reason} maxLength={200} showCount rows={3} placeholder="放回原因（必填）" onChange={(event) => setReason(event.target.value)} />
      </Modal>
    </div>
  );
}
