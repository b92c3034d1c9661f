import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import { feedbackStatusLabels, feedbackTypeLabels, type FeedbackDetail } from '@qiao/shared';
import { formatDate, formatDateTime } from '../utils/format';
import './FeedbackInfo.css';

export function PhotoGrid({ photos }: { photos: { id: string; url: string }[] }) {
  if (photos.length === 0) return null;
  const urls = photos.map((photo) => photo.url);
  return (
    <View className='photo-grid'>
      {photos.map((photo) => (
        <Image
          key={photo.id}
          className='photo-grid__image'
          src={photo.url}
          mode='aspectFill'
          onClick={() => void Taro.previewImage({ urls, current: photo.url })}
        />
      ))}
    </View>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <View className='kv'>
      <Text className='kv__key'>{label}</Text>
      <View className='kv__value'>{children}</View>
    </View>
  );
}

interface Props {
  detail: FeedbackDetail;
  /** Staff view: shows customer and contact too. */
  staff?: boolean;
  statusId?: string;
}

/** Number, status, type, description, photos, device and where/when of a service request. */
export function FeedbackInfo({ detail, staff = false, statusId }: Props) {
  return (
    <View className='card fb-info'>
      <View className='row row--between'>
        <Text className='fb-info__number'>{detail.number}</Text>
        <Text id={statusId} className={`status-text status-text--${detail.status} fb-info__status`}>
          {feedbackStatusLabels[detail.status]}
        </Text>
      </View>
      <View className='row fb-info__tags'>
        <Text className='tag'>{feedbackTypeLabels[detail.type]}</Text>
        {detail.overdue ? <Text className='tag tag--red fb-info__overdue'>已超期</Text> : null}
      </View>
      <Text className='text fb-info__desc'>{detail.description}</Text>
      <PhotoGrid photos={detail.photos} />
      {staff ? (
        <Row label='客户'>
          <Text>
            {detail.customer.name}（{detail.customer.code}）
          </Text>
        </Row>
      ) : null}
      {staff ? (
        <Row label='联系人'>
          <Text>{detail.contact.name}</Text>
        </Row>
      ) : null}
      <Row label='设备'>
        <Text>{detail.product ? `${detail.product.model} · ${detail.product.serialNumber}` : '无设备'}</Text>
      </Row>
      {detail.product ? (
        <Row label='保修到期'>
          <Text>{formatDate(detail.product.warrantyEndsAt)}</Text>
        </Row>
      ) : null}
      <Row label='联系电话'>
        <Text>{detail.contactPhone}</Text>
      </Row>
      {detail.address ? (
        <Row label='服务地址'>
          <Text>{detail.address}</Text>
        </Row>
      ) : null}
      <Row label='要求完成'>
        <Text>{detail.requestedBy ? formatDateTime(detail.requestedBy) : '未指定'}</Text>
      </Row>
      <Row label='提交时间'>
        <Text>{formatDateTime(detail.createdAt)}</Text>
      </Row>
    </View>
  );
}
