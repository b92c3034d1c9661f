import { Text, View } from '@tarojs/components';
import type { FeedbackDetail, TimelineEntry, TimelineKind, Visit } from '@qiao/shared';
import { formatDateTime, formatFen } from '../utils/format';
import { callPhone } from '../utils/nav';
import { PhotoGrid } from './FeedbackInfo';
import './Timeline.css';

interface Props {
  detail: FeedbackDetail;
  /** Engineer view: internal notes, parts and charges of each visit. */
  staff?: boolean;
  id?: string;
  /** Id of the tap-to-call phone of the current engineer. */
  phoneId?: string;
}

function VisitBody({ visit, staff, noteShown }: { visit: Visit; staff: boolean; noteShown: boolean }) {
  return (
    <View className='timeline__visit'>
      <Text className='muted'>
        {visit.engineer.name} · 签到 {formatDateTime(visit.checkInAt)}
        {visit.location?.address ? ` · ${visit.location.address}` : ''}
      </Text>
      {visit.customerNote && !noteShown ? <Text className='text timeline__note'>{visit.customerNote}</Text> : null}
      {staff && visit.internalNote ? (
        <Text className='text timeline__internal'>内部备注：{visit.internalNote}</Text>
      ) : null}
      {staff && visit.parts.length > 0 ? (
        <Text className='muted timeline__line'>
          配件：{visit.parts.map((part) => `${part.name}${part.model ? `（${part.model}）` : ''} × ${part.quantity}`).join('；')}
        </Text>
      ) : null}
      {visit.charges.length > 0 ? (
        <Text className='muted timeline__line'>
          费用：{visit.charges.map((charge) => `${charge.item} ${formatFen(charge.amountFen)}`).join('；')}
        </Text>
      ) : null}
      <PhotoGrid photos={visit.photos} />
    </View>
  );
}

const kindLabels: Record<TimelineKind, string> = {
  submitted: '已提交',
  dispatched: '已派工',
  accepted: '已接单',
  rejected: '已拒单',
  transferred: '已转派',
  visit: '上门处理',
  completed: '已完成',
  undispatched: '已撤销派工',
  rated: '已评价',
};

/** The index of the entry that carries the current engineer's phone: the last dispatch/transfer to them. */
function phoneEntryIndex(entries: TimelineEntry[], engineerId: string | undefined): number {
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    const entry = entries[i];
    if (entry?.engineer?.phone && (entry.kind === 'dispatched' || entry.kind === 'transferred')) {
      if (!engineerId || entry.engineer.id === engineerId) return i;
    }
  }
  return -1;
}

/** Progress: submitted → dispatched to whom (tap to call) → accepted → each visit → completed. */
export function Timeline({ detail, staff = false, id, phoneId }: Props) {
  const entries = detail.timeline;
  const phoneAt = phoneEntryIndex(entries, detail.engineer?.id);
  let visitIndex = 0;
  return (
    <View id={id} className='card timeline'>
      <Text className='card__title'>处理进度</Text>
      {entries.length === 0 ? <Text className='muted'>暂无进度</Text> : null}
      {entries.map((entry, index) => {
        const visit = entry.kind === 'visit' ? detail.visits[visitIndex++] : undefined;
        const last = index === entries.length - 1;
        return (
          <View key={`${entry.kind}-${entry.at}-${index}`} className={`timeline__entry ${last ? 'timeline__entry--last' : ''}`}>
            <View className='timeline__dot' />
            <View className='timeline__body'>
              <Text className='timeline__kind'>{kindLabels[entry.kind]}</Text>
              {entry.text && entry.text !== kindLabels[entry.kind] ? <Text className='timeline__text'>{entry.text}</Text> : null}
              {entry.engineer?.phone && (entry.kind === 'dispatched' || entry.kind === 'transferred') ? (
                <View className='row'>
                  <Text
                    id={index === phoneAt ? phoneId : undefined}
                    className='timeline__phone'
                    onClick={() => callPhone(entry.engineer?.phone ?? '')}
                  >
                    拨打 {entry.engineer.name} {entry.engineer.phone}
                  </Text>
                </View>
              ) : null}
              {visit ? <VisitBody visit={visit} staff={staff} noteShown={!!visit.customerNote && entry.text.includes(visit.customerNote)} /> : null}
              <Text className='muted'>{formatDateTime(entry.at)}</Text>
            </View>
          </View>
        );
      })}
    </View>
  );
}
