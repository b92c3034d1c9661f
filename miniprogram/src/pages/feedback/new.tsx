import { Button, Input, Picker, Text, Textarea, View } from '@tarojs/components';
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
import { anyUploading, PhotoPicker, uploadedIds, type PhotoItem } from '../../components/PhotoPicker';
import { check, serverFieldErrors, without, type FieldErrors } from '../../utils/form';
import { fromPickerParts, pickerParts } from '../../utils/format';
import { requireVerified, routes, toast, withQuery } from '../../utils/nav';
import { uuidV4 } from '../../utils/uuid';
import { DeviceSection } from './DeviceSection';
import './new.css';

const typeLabels = feedbackTypes.map((type) => feedbackTypeLabels[type]);

function FieldError({ message }: { message: string | undefined }) {
  return message ? <Text className='field__error'>{message}</Text> : null;
}

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
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [ready, setReady] = useState(false);

  /** A changed field loses its error. */
  function edited(key: string): void {
    setErrors((prev) => without(prev, key));
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
      setErrors(localErrors);
      setMessage('请检查填写的内容');
      return;
    }
    setErrors({});
    setMessage(null);
    setSubmitting(true);
    try {
      const created = await createFeedback(checked.data);
      void Taro.redirectTo({ url: withQuery(routes.feedbackDetail, { id: created.id, created: created.number }) });
    } catch (error) {
      if (error instanceof ApiError && error.status === 403 && error.code.includes('VERIF')) {
        void Taro.redirectTo({ url: withQuery(routes.verify, { next: 'feedback' }) });
        return;
      }
      setErrors(serverFieldErrors(error));
      setMessage(
        error instanceof ApiError && error.status !== 0
          ? error.message
          : '网络连接失败，请重新提交（不会重复创建服务请求）',
      );
      setSubmitting(false);
    }
  }

  if (!ready) {
    // The form appears once the user is known, with the contact phone already filled in.
    return (
      <View className='page'>
        <View id='fb-loading' className={message ? 'state state--error' : 'state'}>
          <Text className='state__title'>{message ? '加载失败' : '加载中…'}</Text>
          {message ? <Text className='state__hint'>{message}</Text> : null}
        </View>
      </View>
    );
  }

  const typeIndex = type ? feedbackTypes.indexOf(type) : -1;
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
        <View className='field'>
          <Text className='field__label'>
            服务类型<Text className='field__required'> *</Text>
          </Text>
          <Picker
            id='fb-type'
            mode='selector'
            range={typeLabels}
            value={typeIndex < 0 ? 0 : typeIndex}
            onChange={(event) => {
              edited('type');
              setType(feedbackTypes[Number(event.detail.value)] ?? null);
            }}
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
                onClick={() => {
                  edited('type');
                  setType(item);
                }}
              >
                {feedbackTypeLabels[item]}
              </View>
            ))}
          </View>
          <FieldError message={errors.type} />
        </View>
        <View className='field'>
          <Text className='field__label'>
            问题描述<Text className='field__required'> *</Text>
          </Text>
          <Textarea
            id='fb-description'
            className='field__textarea'
            maxlength={1000}
            placeholder='请描述遇到的问题或需求'
            value={description}
            onInput={(event) => {
              edited('description');
              setDescription(event.detail.value);
            }}
          />
          <FieldError message={errors.description} />
        </View>
        <View className='field'>
          <Text className='field__label'>照片（最多 9 张，JPG/PNG，每张不超过 5 MB）</Text>
          <PhotoPicker idPrefix='fb' photos={photos} setPhotos={setPhotos} />
          <FieldError message={errors.photoIds} />
        </View>
      </View>
      <View className='card'>
        <View className='field'>
          <Text className='field__label'>
            联系电话<Text className='field__required'> *</Text>
          </Text>
          <Input
            id='fb-phone'
            className='field__input'
            type='number'
            maxlength={11}
            placeholder='11 位手机号'
            value={contactPhone}
            onInput={(event) => {
              edited('contactPhone');
              setContactPhone(event.detail.value);
            }}
          />
          <FieldError message={errors.contactPhone} />
        </View>
        <View className='field'>
          <Text className='field__label'>服务地址</Text>
          <Input
            id='fb-address'
            className='field__input'
            maxlength={200}
            placeholder='上门服务的地址'
            value={address}
            onInput={(event) => {
              edited('address');
              setAddress(event.detail.value);
            }}
          />
          <FieldError message={errors.address} />
        </View>
        <View className='field'>
          <Text className='field__label'>要求完成时间</Text>
          <View className='row fb-when'>
            <Picker
              id='fb-date'
              className='fb-when__date'
              mode='date'
              value={date || pickerParts(new Date()).date}
              start={pickerParts(new Date()).date}
              onChange={(event) => {
                edited('requestedBy');
                setDate(event.detail.value);
              }}
            >
              <View className={`field__picker ${date ? '' : 'field__placeholder'}`}>{date || '选择日期'}</View>
            </Picker>
            <Picker
              id='fb-time'
              className='fb-when__time'
              mode='time'
              value={time || '18:00'}
              onChange={(event) => {
                edited('requestedBy');
                setTime(event.detail.value);
              }}
            >
              <View className={`field__picker ${time ? '' : 'field__placeholder'}`}>{time || '18:00'}</View>
            </Picker>
            {date ? (
              <Text id='fb-when-clear' className='link fb-when__clear' onClick={() => setDate('')}>
                清除
              </Text>
            ) : null}
          </View>
          <FieldError message={errors.requestedBy} />
        </View>
      </View>
      {message ? (
        <Text id='fb-error' className='form-error'>
          {message}
        </Text>
      ) : null}
      <Button
        id='fb-submit'
        className='actions__button'
        type='primary'
        disabled={submitting || undefined}
        onClick={() => void onSubmit()}
      >
        {submitting ? '提交中…' : '提交'}
      </Button>
    </View>
  );
}
