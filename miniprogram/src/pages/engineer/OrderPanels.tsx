import { Button, Text, Textarea, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { collaboratorsRequestSchema, completeRequestSchema, rejectRequestSchema, transferRequestSchema, type Colleague } from '@qiao/shared';
import { errorMessage } from '../../api/request';
import { listEngineers } from '../../api/work-orders';
import { FieldError, SubmitButton } from '../../components/Form';
import { check } from '../../utils/form';

interface PanelProps<T> {
  busy: boolean;
  onSubmit: (value: T) => void;
  onCancel: () => void;
}

/** 取消 and the panel's confirm button. */
export function PanelButtons({ id, label, busy, onConfirm, onCancel }: { id: string; label: string; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  return (
    <View className='row wo-panel__buttons'>
      <Button className='wo-panel__button' size='mini' onClick={onCancel}>
        取消
      </Button>
      <Button id={id} className='wo-panel__button' size='mini' type='primary' disabled={busy || undefined} onClick={onConfirm}>
        {busy ? '提交中…' : label}
      </Button>
    </View>
  );
}

function NoteField({ id, value, placeholder, onInput }: { id: string; value: string; placeholder: string; onInput: (value: string) => void }) {
  return (
    <Textarea
      id={id}
      className='field__textarea wo-panel__textarea'
      maxlength={500}
      placeholder={placeholder}
      value={value}
      onInput={(event) => onInput(event.detail.value)}
    />
  );
}

/** 拒单: a reason is required. */
export function RejectPanel({ busy, onSubmit, onCancel }: PanelProps<string>) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  function confirm(): void {
    const checked = check(rejectRequestSchema, { reason });
    if (!checked.ok) setError(checked.errors.reason ?? '请填写拒单原因');
    else onSubmit(checked.data.reason);
  }
  return (
    <View id='wo-reject-panel' className='card wo-panel'>
      <Text className='card__title'>拒单</Text>
      <NoteField id='wo-reject-reason' value={reason} placeholder='请填写拒单原因（必填）' onInput={setReason} />
      <FieldError message={error} />
      <PanelButtons id='wo-reject-confirm' label='确认拒单' busy={busy} onConfirm={confirm} onCancel={onCancel} />
    </View>
  );
}

/** 完工: shown while the order may be completed; the summary is optional, one tap completes. */
export function CompleteCard({ busy, onSubmit }: { busy: boolean; onSubmit: (summary: string) => void }) {
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<string | null>(null);
  function confirm(): void {
    const checked = check(completeRequestSchema, { summary });
    if (!checked.ok) setError(checked.errors.summary ?? '完工说明有误');
    else onSubmit(checked.data.summary);
  }
  return (
    <View id='wo-complete-card' className='card'>
      <Text className='card__title'>完工</Text>
      <Text className='muted wo-complete__hint'>处理完毕后提交完工，客户将收到通知并可评价。</Text>
      <NoteField id='wo-complete-summary' value={summary} placeholder='完工说明（选填）' onInput={setSummary} />
      <FieldError message={error} />
      <SubmitButton id='wo-complete' label='完工' busy={busy} onClick={confirm} />
    </View>
  );
}

/** Active engineer colleagues from `GET /engineers`. */
function useColleagues() {
  const [items, setItems] = useState<Colleague[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    listEngineers().then(
      (members) => {
        if (alive) setItems(members);
      },
      (failure: unknown) => {
        if (alive) setError(errorMessage(failure));
      },
    );
    return () => {
      alive = false;
    };
  }, []);
  return { items, error };
}

function ColleagueList({ prefix, exclude, selected, onToggle }: { prefix: string; exclude: string[]; selected: string[]; onToggle: (id: string) => void }) {
  const { items: all, error } = useColleagues();
  const items = all?.filter((member) => !exclude.includes(member.id)) ?? null;
  if (error) {
    return (
      <Text id={`${prefix}-error`} className='form-error'>
        无法获取同事列表：{error}
      </Text>
    );
  }
  if (!items) return <Text className='muted'>正在加载同事…</Text>;
  if (items.length === 0) return <Text className='muted'>没有可选的工程师</Text>;
  return (
    <View className='wo-colleagues'>
      {items.map((member) => (
        <View
          key={member.id}
          id={`${prefix}-${member.id}`}
          className={`option wo-colleague ${selected.includes(member.id) ? 'option--active' : ''}`}
          onClick={() => onToggle(member.id)}
        >
          <Text className='wo-colleague__name'>{member.name}</Text>
          <Text className='muted'>
            {[member.regions.join('、'), member.productLines.join('、'), `在办 ${member.openWorkOrders}`].filter(Boolean).join(' · ')}
          </Text>
        </View>
      ))}
    </View>
  );
}

/** 转派: one colleague and an optional reason. */
export function TransferPanel({ busy, exclude, onSubmit, onCancel }: PanelProps<{ engineerId: string; reason: string }> & { exclude: string[] }) {
  const [engineerId, setEngineerId] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  function confirm(): void {
    if (!engineerId) {
      setError('请选择要转派的同事');
      return;
    }
    const checked = check(transferRequestSchema, { engineerId, reason });
    if (!checked.ok) setError(Object.values(checked.errors)[0] ?? '转派信息有误');
    else onSubmit({ engineerId: checked.data.engineerId, reason: checked.data.reason });
  }
  return (
    <View id='wo-transfer-panel' className='card wo-panel'>
      <Text className='card__title'>转派给同事</Text>
      <ColleagueList prefix='wo-transfer' exclude={exclude} selected={[engineerId]} onToggle={setEngineerId} />
      <NoteField id='wo-transfer-reason' value={reason} placeholder='转派原因（选填）' onInput={setReason} />
      <FieldError message={error} />
      <PanelButtons id='wo-transfer-confirm' label='确认转派' busy={busy} onConfirm={confirm} onCancel={onCancel} />
    </View>
  );
}

/** 协作: add one or more colleagues. */
export function CollaboratorsPanel({ busy, exclude, onSubmit, onCancel }: PanelProps<string[]> & { exclude: string[] }) {
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  function toggle(id: string): void {
    setSelected((prev) => (prev.includes(id) ? prev.filter((item) => item !== id) : [...prev, id]));
  }
  function confirm(): void {
    const checked = check(collaboratorsRequestSchema, { engineerIds: selected });
    if (!checked.ok) setError(Object.values(checked.errors)[0] ?? '请选择协作人');
    else onSubmit(checked.data.engineerIds);
  }
  return (
    <View id='wo-collab-panel' className='card wo-panel'>
      <Text className='card__title'>邀请同事协作</Text>
      <ColleagueList prefix='wo-collab' exclude={exclude} selected={selected} onToggle={toggle} />
      <FieldError message={error} />
      <PanelButtons id='wo-collab-confirm' label='添加协作人' busy={busy} onConfirm={confirm} onCancel={onCancel} />
    </View>
  );
}
