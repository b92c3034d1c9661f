import { Button, Text, View } from '@tarojs/components';
import Taro, { useLoad, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { allowedWorkOrderActions, isOpenWorkOrder, workOrderStatusLabels, type FeedbackDetail, type WorkOrderAction } from '@qiao/shared';
import { getFeedback } from '../../api/feedbacks';
import { ApiError, errorMessage } from '../../api/request';
import { currentUser } from '../../api/session';
import {
  acceptWorkOrder,
  addCollaborators,
  completeWorkOrder,
  findWorkOrder,
  rejectWorkOrder,
  transferWorkOrder,
} from '../../api/work-orders';
import { FeedbackInfo } from '../../components/FeedbackInfo';
import { LoadFailed, Loading } from '../../components/LoadState';
import { Timeline } from '../../components/Timeline';
import { usePullRefresh } from '../../hooks/usePullRefresh';
import { callPhone, param, routes, toast } from '../../utils/nav';
import { defined } from '../../utils/props';
import { CollaboratorsPanel, CompleteCard, RejectPanel, TransferPanel } from './OrderPanels';
import { NoticeConsent } from './NoticeConsent';
import { VisitForm } from './VisitForm';
import './order.css';

type Panel = 'none' | 'reject' | 'transfer' | 'collab' | 'visit';
type State = { status: 'loading' } | { status: 'error'; error: string } | { status: 'ready'; detail: FeedbackDetail; staffId: string };

/** What the viewer may do: the state machine's actions, the assignee's only except 记录处理. */
function actionsFor(detail: FeedbackDetail, staffId: string): { actions: WorkOrderAction[]; assignee: boolean } {
  const order = detail.workOrder;
  if (!order) return { actions: [], assignee: false };
  const assignee = detail.engineer?.id === staffId;
  const collaborator = detail.collaborators.some((person) => person.id === staffId);
  const allowed = allowedWorkOrderActions(order.status).filter((action) => action !== 'cancel');
  if (assignee) return { actions: allowed, assignee };
  return { actions: collaborator ? allowed.filter((action) => action === 'record_visit') : [], assignee };
}

function leave(): void {
  const pages = Taro.getCurrentPages();
  if (pages.length > 1) void Taro.navigateBack();
  else void Taro.reLaunch({ url: routes.engineerOrders });
}

export default function EngineerOrderPage() {
  const router = useRouter();
  const orderId = param(router.params.id);
  const [state, setState] = useState<State>({ status: 'loading' });
  const [panel, setPanel] = useState<Panel>('none');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  /** Set after 接单: the natural moment to ask for the next dispatch notices. */
  const [accepted, setAccepted] = useState(0);

  async function load(quiet = false): Promise<void> {
    if (!quiet) setState({ status: 'loading' });
    try {
      const user = await currentUser();
      if (!user.staff) {
        void Taro.reLaunch({ url: routes.index });
        return;
      }
      let feedbackId = param(router.params.feedbackId);
      if (!feedbackId && orderId) feedbackId = (await findWorkOrder(orderId))?.feedbackId ?? '';
      if (!feedbackId) throw new Error('NOT_FOUND');
      setState({ status: 'ready', detail: await getFeedback(feedbackId), staffId: user.staff.id });
    } catch (error) {
      const text = error instanceof Error && error.message === 'NOT_FOUND' ? '找不到该工单' : errorMessage(error);
      if (quiet) toast(text);
      else setState({ status: 'error', error: text });
    }
  }

  useLoad(() => {
    void load();
  });

  usePullRefresh(() => load(true));

  /** Runs one action; the server's message (e.g. 409 ILLEGAL_TRANSITION) is shown as is. */
  async function run(label: string, call: () => Promise<unknown>, after: 'reload' | 'leave' = 'reload'): Promise<void> {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      await call();
      setPanel('none');
      toast(`${label}成功`);
      if (after === 'leave') leave();
      else await load(true);
    } catch (error) {
      setMessage(`${label}失败：${errorMessage(error)}`);
      // Someone else changed the order (409): show where it stands now.
      if (error instanceof ApiError && error.status === 409) await load(true);
    } finally {
      setBusy(false);
    }
  }

  if (state.status !== 'ready') {
    return (
      <View className='page'>
        {state.status === 'error' ? <LoadFailed id='wo-load-error' error={state.error} onRetry={() => void load()} /> : <Loading id='wo-loading' />}
      </View>
    );
  }

  const { detail, staffId } = state;
  const order = detail.workOrder;
  const id = order?.id ?? orderId;
  const { actions, assignee } = actionsFor(detail, staffId);
  const open = order ? isOpenWorkOrder(order.status) : false;
  const exclude = [staffId, ...(detail.engineer ? [detail.engineer.id] : []), ...detail.collaborators.map((person) => person.id)];
  const toggle = (next: Panel) => {
    setMessage(null);
    setPanel((current) => (current === next ? 'none' : next));
  };
  const buttons: { show: boolean; id: string; label: string; primary?: boolean; onClick: () => void }[] = [
    { show: actions.includes('accept'), id: 'wo-accept', label: '接单', primary: true, onClick: () => void run('接单', async () => {
          await acceptWorkOrder(id);
          setAccepted((count) => count + 1);
        }) },
    { show: actions.includes('reject'), id: 'wo-reject', label: '拒单', onClick: () => toggle('reject') },
    { show: actions.includes('record_visit'), id: 'wo-visit', label: '记录处理', primary: true, onClick: () => toggle('visit') },
    { show: actions.includes('transfer'), id: 'wo-transfer', label: '转派', onClick: () => toggle('transfer') },
    { show: assignee && open, id: 'wo-collab', label: '协作', onClick: () => toggle('collab') },
  ].filter((button) => button.show);

  return (
    <View className='page wo-order'>
      <View className='card wo-order__status'>
        <View className='row row--between'>
          <Text className='muted'>工单状态</Text>
          <Text id='wo-status' className={`status-text status-text--${order?.status ?? 'none'} wo-order__state`}>
            {order ? workOrderStatusLabels[order.status] : '未派工'}
          </Text>
        </View>
        {order?.rejectReason ? <Text className='muted'>拒单原因：{order.rejectReason}</Text> : null}
        {detail.engineer ? (
          <Text className='muted'>
            负责工程师：{detail.engineer.name}
            {assignee ? '（我）' : ''}
          </Text>
        ) : null}
        {detail.collaborators.length > 0 ? (
          <Text id='wo-collaborators' className='muted'>
            协作人：{detail.collaborators.map((person) => person.name).join('、')}
          </Text>
        ) : null}
        <Text id='wo-call' className='link wo-order__call' onClick={() => callPhone(detail.contactPhone)}>
          联系客户：{detail.contact.name} {detail.contactPhone}
        </Text>
      </View>
      {message ? (
        <Text id='wo-message' className='form-error wo-order__message'>
          {message}
        </Text>
      ) : null}
      {actions.length > 0 || (assignee && open) ? (
        <View className='wo-actions'>
          {buttons.map((button) => (
            <Button
              key={button.id}
              id={button.id}
              className='wo-actions__button'
              {...defined({ type: button.primary ? ('primary' as const) : undefined })}
              size='mini'
              disabled={busy || undefined}
              onClick={button.onClick}
            >
              {button.label}
            </Button>
          ))}
        </View>
      ) : null}
      {accepted > 0 ? <NoticeConsent always refreshKey={accepted} /> : null}
      {panel === 'reject' ? (
        <RejectPanel busy={busy} onCancel={() => setPanel('none')} onSubmit={(reason) => void run('拒单', () => rejectWorkOrder(id, reason), 'leave')} />
      ) : null}
      {panel === 'transfer' ? (
        <TransferPanel
          busy={busy}
          exclude={exclude}
          onCancel={() => setPanel('none')}
          onSubmit={(value) => void run('转派', () => transferWorkOrder(id, value.engineerId, value.reason), 'leave')}
        />
      ) : null}
      {panel === 'collab' ? (
        <CollaboratorsPanel busy={busy} exclude={exclude} onCancel={() => setPanel('none')} onSubmit={(ids) => void run('添加协作人', () => addCollaborators(id, ids))} />
      ) : null}
      {panel === 'visit' ? (
        <VisitForm
          workOrderId={id}
          onCancel={() => setPanel('none')}
          onDone={() => {
            setPanel('none');
            void load(true);
          }}
        />
      ) : null}
      {actions.includes('complete') && panel !== 'visit' ? (
        <CompleteCard busy={busy} onSubmit={(summary) => void run('完工', () => completeWorkOrder(id, summary))} />
      ) : null}
      <FeedbackInfo detail={detail} staff statusId='wo-feedback-status' />
      <Timeline detail={detail} staff id='wo-timeline' />
    </View>
  );
}
