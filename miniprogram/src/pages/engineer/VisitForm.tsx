import { Input, Picker, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { visitInputSchema } from '@qiao/shared';
import { recordVisit } from '../../api/work-orders';
import { Field, FormError, TextField } from '../../components/Form';
import { anyUploading, PhotoPicker, uploadedIds, type PhotoItem } from '../../components/PhotoPicker';
import { useForm } from '../../hooks/useForm';
import { check, errorUnder, type FieldErrors } from '../../utils/form';
import { fromPickerParts, pickerParts, yuanToFen } from '../../utils/format';
import { toast } from '../../utils/nav';
import { PanelButtons } from './OrderPanels';
import { Charges, Parts, type ChargeRow, type PartRow } from './VisitRows';

interface Location {
  latitude: number;
  longitude: number;
}

type Note = 'customerNote' | 'internalNote';
const noteFields: { key: Note; id: string; label: string; placeholder: string }[] = [
  { key: 'customerNote', id: 'visit-customer-note', label: '给客户的说明（客户可见）', placeholder: '例如：已更换压缩机电容，试机正常' },
  { key: 'internalNote', id: 'visit-internal-note', label: '内部备注（仅同事可见）', placeholder: '例如：电容老化，建议下次保养时检查外机' },
];

interface Props {
  workOrderId: string;
  onDone: () => void;
  onCancel: () => void;
}

/**
 * Where the engineer is. weapp: wx.getLocation in gcj02 (what Chinese maps use). H5: the browser's
 * geolocation — Taro's H5 getLocation only accepts wgs84 and fails for gcj02, even when allowed;
 * browsers give wgs84 (a few hundred metres off on Chinese maps, fine for a check-in).
 */
function currentPosition(): Promise<Location> {
  if (process.env.TARO_ENV !== 'h5') {
    return Taro.getLocation({ type: 'gcj02' }).then((result) => ({ latitude: result.latitude, longitude: result.longitude }));
  }
  return new Promise((resolve, reject) => {
    if (typeof navigator === 'undefined' || !navigator.geolocation) {
      reject(new Error('geolocation unavailable'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => resolve({ latitude: position.coords.latitude, longitude: position.coords.longitude }),
      reject,
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  });
}

/** 记录处理: one visit — check-in time and place, notes, photos, parts and charges. */
export function VisitForm({ workOrderId, onDone, onCancel }: Props) {
  const now = pickerParts(new Date());
  const [date, setDate] = useState(now.date);
  const [time, setTime] = useState(now.time);
  const [location, setLocation] = useState<Location | null>(null);
  const [locating, setLocating] = useState(false);
  const [place, setPlace] = useState('');
  const [notes, setNotes] = useState<Record<Note, string>>({ customerNote: '', internalNote: '' });
  const [photos, setPhotos] = useState<PhotoItem[]>([]);
  const [parts, setParts] = useState<PartRow[]>([]);
  const [charges, setCharges] = useState<ChargeRow[]>([]);
  const { errors, message, submitting, begin, invalid, fail } = useForm();

  async function locate(quiet: boolean): Promise<void> {
    setLocating(true);
    try {
      setLocation(await currentPosition());
    } catch {
      if (!quiet) toast('无法获取位置，请检查定位权限');
    } finally {
      setLocating(false);
    }
  }

  useEffect(() => {
    // In the mini-program the check-in place is taken at once; in H5 it is optional (button).
    if (process.env.TARO_ENV === 'weapp') void locate(true);
  }, []);

  async function submit(): Promise<void> {
    if (submitting) return;
    if (anyUploading(photos)) {
      toast('照片正在上传，请稍候');
      return;
    }
    const local: FieldErrors = {};
    const usedParts = parts.filter((row) => row.name.trim() || row.model.trim() || row.quantity.trim());
    const usedCharges = charges.filter((row) => row.item.trim() || row.amount.trim());
    const partValues = usedParts.map((row) => {
      const quantity = /^\d{1,3}$/.test(row.quantity.trim()) ? Number(row.quantity.trim()) : NaN;
      if (!(quantity >= 1)) local[`parts.${parts.indexOf(row)}.quantity`] = '数量应为 1–999 的整数';
      return { name: row.name, model: row.model, quantity };
    });
    const chargeValues = usedCharges.map((row) => {
      const fen = yuanToFen(row.amount);
      if (fen === null) local[`charges.${charges.indexOf(row)}.amountFen`] = '请输入金额（元，最多两位小数）';
      return { item: row.item, amountFen: fen ?? -1 };
    });
    const checked = check(visitInputSchema, {
      checkInAt: fromPickerParts(date, time) ?? '',
      location: location ? { ...location, address: place } : null,
      internalNote: notes.internalNote,
      customerNote: notes.customerNote,
      photoIds: uploadedIds(photos),
      parts: partValues,
      charges: chargeValues,
    });
    if (!checked.ok || Object.keys(local).length > 0) {
      // Schema paths count only the rows sent: map them back to the rows on screen.
      const mapped: FieldErrors = { ...local };
      if (!checked.ok) {
        for (const [key, value] of Object.entries(checked.errors)) {
          const match = /^(parts|charges)\.(\d+)\.(.+)$/.exec(key);
          if (!match) mapped[key] ??= value;
          else {
            const rows: readonly unknown[] = match[1] === 'parts' ? usedParts : usedCharges;
            const all: readonly unknown[] = match[1] === 'parts' ? parts : charges;
            mapped[`${match[1]}.${all.indexOf(rows[Number(match[2])])}.${match[3]}`] ??= value;
          }
        }
      }
      invalid(mapped);
      return;
    }
    begin();
    try {
      await recordVisit(workOrderId, checked.data);
      toast('已记录处理');
      onDone();
    } catch (error) {
      fail(error);
    }
  }

  return (
    <View id='visit-form' className='card wo-panel'>
      <Text className='card__title'>记录处理</Text>
      <Field label='签到时间' error={errorUnder(errors, 'checkInAt')}>
        <View className='row'>
          <Picker id='visit-date' className='field__date' mode='date' value={date} onChange={(event) => setDate(event.detail.value)}>
            <View className='field__picker'>{date}</View>
          </Picker>
          <Picker id='visit-time' className='field__time' mode='time' value={time} onChange={(event) => setTime(event.detail.value)}>
            <View className='field__picker'>{time}</View>
          </Picker>
        </View>
      </Field>
      <Field error={errorUnder(errors, 'location')}>
        <View className='row row--between'>
          <Text className='field__label'>签到地点{process.env.TARO_ENV === 'h5' ? '（选填）' : ''}</Text>
          <Text id='visit-location' className='link visit-locate' onClick={() => void locate(false)}>
            {locating ? '定位中…' : location ? '重新定位' : '获取定位'}
          </Text>
        </View>
        {location ? (
          <Text id='visit-location-coords' className='muted'>
            已定位：{location.latitude.toFixed(5)}, {location.longitude.toFixed(5)}
          </Text>
        ) : null}
        {location ? (
          <Input
            id='visit-location-address'
            className='field__input visit-place'
            maxlength={200}
            placeholder='地点说明（选填）'
            value={place}
            onInput={(event) => setPlace(event.detail.value)}
          />
        ) : null}
      </Field>
      {noteFields.map((note) => (
        <TextField
          key={note.key}
          label={note.label}
          error={errors[note.key]}
          multiline
          id={note.id}
          maxlength={1000}
          placeholder={note.placeholder}
          value={notes[note.key]}
          onInput={(event) => setNotes((prev) => ({ ...prev, [note.key]: event.detail.value }))}
        />
      ))}
      <Field label='现场照片' error={errorUnder(errors, 'photoIds')}>
        <PhotoPicker idPrefix='visit' photos={photos} setPhotos={setPhotos} />
      </Field>
      <Parts rows={parts} setRows={setParts} errors={errors} />
      <Charges rows={charges} setRows={setCharges} errors={errors} />
      <FormError id='visit-error' message={message} />
      <PanelButtons id='visit-submit' label='提交记录' busy={submitting} onConfirm={() => void submit()} onCancel={onCancel} />
    </View>
  );
}
