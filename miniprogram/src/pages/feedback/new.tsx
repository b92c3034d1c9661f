import { Picker, Text, View } from '@tarojs/components';
import Taro, { useLoad, useRouter } from '@tarojs/taro';
import { useRef, useState } from 'react';
import {
  feedbackCreateSchema,
  feedbackTypeLabels,
  feedbackTypes,
  type FeedbackType,
  type ProductArchive,
} from '@qiao/shared';
import { createFeedback } from '../../api/feedbacks';
import { listMyProducts } from '../../api/me';
import { ApiError, errorMessage } from '../../api/request';
import { currentUser } from '../../api/session';
import { Field, FormError, SubmitButton, TextField } from '../../components/Form';
import { LoadFailed, Loading } from '../../components/LoadState';
import { anyUploading, PhotoPicker, uploadedIds, type PhotoItem } from '../../components/PhotoPicker';
import { useForm } from '../../hooks/useForm';
import { check, type FieldErrors } from '../../utils/form';
import { fromPickerParts, pickerParts } from '../../utils/format';
import { requireVerified, routes, toast, withQuery } from '../../utils/nav';
import { uuidV4 } from '../../utils/uuid';
import { DeviceSection } from './DeviceSection';
import './new.css';

const typeLabels = feedbackTypes.map((type) => feedbackTypeLabels[type]);

export default function FeedbackNewPage() {
  const router = useRouter();
  // One id per form, reused on every retry: a resubmit after a network error creates nothing twice.
  const clientRequestId = useRef(uuidV4());
  const [devices, setDevices] = useState<ProductArchive[]>([]);
  const [devicesLoading, setDevicesLoading] = useState(true);
  const [devicesError, setDevicesError] = useState<string | null>(null);
  const [productId, setProductId] = useState<string | null>(null);
  const [type, setType] = useState<FeedbackType | null>(null);
  const [description, setDescription] = useState('');
  const [photos, setPhotos] = useState<PhotoItem[]>([]);
  const [contactPhone, setContactPhone] = useState('');
  const [address, setAddress] = useState('');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const { errors, message, setMessage, submitting, begin, invalid, fail, edited } = useForm();
  const [ready, setReady] = useState(false);

  /** An input's handler: the field loses its error and takes the value. */
  function change(key: string, set: (value: string) => void) {
    return (event: { detail: { value: string } }) => {
      edited(key);
      set(event.detail.value);
    };
  }

  /** A text field's value, error and handler; `key` as in the schema. */
  function bound(key: string, value: string, set: (value: string) => void) {
    return { value, error: errors[key], onInput: change(key, set) };
  }

  function pickType(picked: FeedbackType | null): void {
    edited('type');
    setType(picked);
  }

  function selectDevice(device: ProductArchive | null): void {
    edited('productArchiveId');
    setProductId(device ? device.id : null);
    if (device?.address) setAddress((current) => current || device.address);
  }

  async function loadDevices(preselect?: string): Promise<void> {
    setDevicesLoading(true);
    setDevicesError(null);
    try {
      const items = await listMyProducts();
      setDevices(items);
      const wanted = items.find((item) => item.id === preselect);
      if (wanted) selectDevice(wanted);
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) {
        void Taro.redirectTo({ url: withQuery(routes.verify, { next: 'feedback' }) });
        return;
      }
      setDevicesError(errorMessage(error));
    } finally {
      setDevicesLoading(false);
    }
  }

  useLoad(() => {
    currentUser().then(
      (user) => {
        if (requireVerified(user, 'feedback')) return;
        if (user.contact?.phone) setContactPhone(user.contact.phone);
        setReady(true);
        void loadDevices(router.params.productId);
      },
      (error: unknown) => setMessage(errorMessage(error)),
    );
  });

  async function onSubmit(): Promise<void> {
    if (submitting) return;
    if (anyUploading(photos)) {
      toast('照片正在上传，请稍候');
      return;
    }
    if (photos.some((photo) => photo.status === 'error')) {
      toast('有照片上传失败，请删除后再提交');
      return;
    }
    const requestedBy = fromPickerParts(date, time || '18:00');
    const checked = check(feedbackCreateSchema, {
      clientRequestId: clientRequestId.current,
      type: type ?? undefined,
      productArchiveId: productId,
      description,
      photoIds: uploadedIds(photos),
      contactPhone,
      address,
      requestedBy,
    });
    const localErrors: FieldErrors = checked.ok ? {} : { ...checked.errors };
    if (requestedBy && Date.parse(requestedBy) <= Date.now()) localErrors.requestedBy ??= '要求完成时间应晚于现在';
    if (!checked.ok || Object.keys(localErrors).length > 0) {
      invalid(localErrors);
      return;
    }
    begin();
    try {
      const created = await createFeedback(checked.data);
      void Taro.redirectTo({ url: withQuery(routes.feedbackDetail, { id: created.id, created: created.number }) });
    } catch (error) {
      if (error instanceof ApiError && error.status === 403 && error.code.includes('VERIF')) {
        void Taro.redirectTo({ url: withQuery(routes.verify, { next: 'feedback' }) });
        return;
      }
      fail(error, error instanceof ApiError && error.status !== 0 ? error.message : '网络连接失败，请重新提交（不会重复创建服务请求）');
    }
  }

  if (!ready) {
    // The form appears once the user is known, with the contact phone already filled in.
    return (
      <View className='page'>
        {message ? <LoadFailed id='fb-loading' error={message} /> : <Loading id='fb-loading' />}
      </View>
    );
  }

  const typeIndex = type ? feedbackTypes.indexOf(type) : -1;
  const today = pickerParts(new Date()).date;
  return (
    <View className='page fb-page'>
      <View className='card'>
        <DeviceSection
          devices={devices}
          loading={devicesLoading}
          loadError={devicesError}
          onRetry={() => void loadDevices()}
          selected={productId}
          onSelect={selectDevice}
          error={errors.productArchiveId}
        />
        <Field label='服务类型' required error={errors.type}>
          <Picker
            id='fb-type'
            mode='selector'
            range={typeLabels}
            value={typeIndex < 0 ? 0 : typeIndex}
            onChange={(event) => pickType(feedbackTypes[Number(event.detail.value)] ?? null)}
          >
            <View className={`field__picker ${type ? '' : 'field__placeholder'}`}>
              {type ? feedbackTypeLabels[type] : '请选择服务类型'} ›
            </View>
          </Picker>
          <View className='chips fb-types'>
            {feedbackTypes.map((item) => (
              <View
                key={item}
                id={`fb-type-${item}`}
                className={`chip ${type === item ? 'chip--active' : ''}`}
                onClick={() => pickType(item)}
              >
                {feedbackTypeLabels[item]}
              </View>
            ))}
          </View>
        </Field>
        <TextField
          label='问题描述'
          required
          multiline
          id='fb-description'
          maxlength={1000}
          placeholder='请描述遇到的问题或需求'
          {...bound('description', description, setDescription)}
        />
        <Field label='照片（最多 9 张，JPG/PNG，每张不超过 5 MB）' error={errors.photoIds}>
          <PhotoPicker idPrefix='fb' photos={photos} setPhotos={setPhotos} />
        </Field>
      </View>
      <View className='card'>
        <TextField label='联系电话' required id='fb-phone' type='number' maxlength={11} placeholder='11 位手机号' {...bound('contactPhone', contactPhone, setContactPhone)} />
        <TextField label='服务地址' id='fb-address' maxlength={200} placeholder='上门服务的地址' {...bound('address', address, setAddress)} />
        <Field label='要求完成时间' error={errors.requestedBy}>
          <View className='row fb-when'>
            <Picker id='fb-date' className='field__date' mode='date' value={date || today} start={today} onChange={change('requestedBy', setDate)}>
              <View className={`field__picker ${date ? '' : 'field__placeholder'}`}>{date || '选择日期'}</View>
            </Picker>
            <Picker id='fb-time' className='field__time' mode='time' value={time || '18:00'} onChange={change('requestedBy', setTime)}>
              <View className={`field__picker ${time ? '' : 'field__placeholder'}`}>{time || '18:00'}</View>
            </Picker>
            {date ? (
              <Text id='fb-when-clear' className='link fb-when__clear' onClick={() => setDate('')}>
                清除
              </Text>
            ) : null}
          </View>
        </Field>
      </View>
      <FormError id='fb-error' message={message} />
      <SubmitButton id='fb-submit' label='提交' busy={submitting} onClick={() => void onSubmit()} />
    </View>
  );
}
