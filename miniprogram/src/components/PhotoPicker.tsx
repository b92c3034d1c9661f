import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useRef, type ChangeEvent, type Dispatch, type SetStateAction } from 'react';
import { FEEDBACK_RULES } from '@qiao/shared';
import { errorMessage } from '../api/request';
import { rejectReason, uploadPhoto, type LocalImage } from '../api/uploads';
import { toast } from '../utils/nav';
import './PhotoPicker.css';

export interface PhotoItem {
  key: string;
  /** What the thumbnail shows: weapp temp file or H5 blob URL. */
  localPath: string;
  status: 'uploading' | 'done' | 'error';
  /** Upload id, once uploaded. */
  id?: string;
  error?: string;
}

interface Props {
  /** `fb` → thumbnails `.fb-photo` (`#fb-photo-<n>`), ids `fb-photo-add`, `fb-photo-input` (H5), `fb-photo-remove-<n>`. */
  idPrefix: string;
  photos: PhotoItem[];
  setPhotos: Dispatch<SetStateAction<PhotoItem[]>>;
  max?: number;
}

let nextKey = 0;

/** Uploaded photo ids, in order; photos still uploading or failed are not included. */
export function uploadedIds(photos: PhotoItem[]): string[] {
  return photos.flatMap((photo) => (photo.status === 'done' && photo.id ? [photo.id] : []));
}

export function anyUploading(photos: PhotoItem[]): boolean {
  return photos.some((photo) => photo.status === 'uploading');
}

/**
 * Up to 9 photos: pick (Taro.chooseMedia in weapp — chooseImage is no longer maintained; a hidden native file input in H5, which
 * tests can fill), check type and size before upload, upload each at once, show thumbnails.
 */
export function PhotoPicker({ idPrefix, photos, setPhotos, max = FEEDBACK_RULES.maxPhotos }: Props) {
  const inputRef = useRef<HTMLInputElement | null>(null);
  const countRef = useRef(photos.length);
  countRef.current = photos.length;

  function update(key: string, patch: Partial<PhotoItem>): void {
    setPhotos((prev) => prev.map((photo) => (photo.key === key ? { ...photo, ...patch } : photo)));
  }

  function accept(images: LocalImage[]): void {
    const room = max - countRef.current;
    if (room <= 0) {
      toast(`最多上传 ${max} 张照片`);
      return;
    }
    if (images.length > room) toast(`最多上传 ${max} 张照片`);
    const added: PhotoItem[] = [];
    let rejected: string | null = null;
    for (const image of images.slice(0, room)) {
      const reason = rejectReason(image);
      if (reason) {
        rejected = reason;
        continue;
      }
      nextKey += 1;
      const item: PhotoItem = { key: `p${nextKey}`, localPath: image.path, status: 'uploading' };
      added.push(item);
      uploadPhoto(image).then(
        (uploaded) => update(item.key, { status: 'done', id: uploaded.id }),
        (error: unknown) => {
          update(item.key, { status: 'error', error: errorMessage(error) });
          toast(`上传失败：${errorMessage(error)}`);
        },
      );
    }
    if (rejected) toast(rejected);
    if (added.length > 0) {
      countRef.current += added.length;
      setPhotos((prev) => [...prev, ...added]);
    }
  }

  async function pickWeapp(): Promise<void> {
    try {
      const result = await Taro.chooseMedia({
        count: Math.max(1, max - countRef.current),
        mediaType: ['image'],
        sizeType: ['compressed'],
        sourceType: ['album', 'camera'],
      });
      accept(result.tempFiles.map((file) => ({ path: file.tempFilePath, size: file.size, type: '', name: '' })));
    } catch {
      // Cancelled.
    }
  }

  function onAdd(): void {
    if (countRef.current >= max) {
      toast(`最多上传 ${max} 张照片`);
      return;
    }
    if (process.env.TARO_ENV === 'h5') inputRef.current?.click();
    else void pickWeapp();
  }

  function onFiles(event: ChangeEvent<HTMLInputElement>): void {
    const input = event.target;
    const files = Array.from(input.files ?? []);
    input.value = '';
    accept(files.map((file) => ({ path: URL.createObjectURL(file), size: file.size, type: file.type, name: file.name })));
  }

  function remove(key: string): void {
    setPhotos((prev) => prev.filter((photo) => photo.key !== key));
  }

  function preview(current: string): void {
    void Taro.previewImage({ urls: photos.map((photo) => photo.localPath), current });
  }

  return (
    <View className='photos'>
      {photos.map((photo, index) => (
        <View key={photo.key} className={`photos__item ${idPrefix}-photo`} id={`${idPrefix}-photo-${index}`}>
          <Image className='photos__image' src={photo.localPath} mode='aspectFill' onClick={() => preview(photo.localPath)} />
          {photo.status !== 'done' ? (
            <View className={`photos__mask photos__mask--${photo.status}`}>
              <Text>{photo.status === 'uploading' ? '上传中…' : '上传失败'}</Text>
            </View>
          ) : null}
          <View className='photos__remove' id={`${idPrefix}-photo-remove-${index}`} onClick={() => remove(photo.key)}>
            <Text>×</Text>
          </View>
        </View>
      ))}
      {photos.length < max ? (
        <View className='photos__add' id={`${idPrefix}-photo-add`} onClick={onAdd}>
          <Text className='photos__plus'>+</Text>
          <Text className='photos__hint'>
            {photos.length}/{max}
          </Text>
        </View>
      ) : null}
      {process.env.TARO_ENV === 'h5' ? (
        <input
          ref={inputRef}
          id={`${idPrefix}-photo-input`}
          type='file'
          accept='image/jpeg,image/png'
          multiple
          style={{ display: 'none' }}
          onChange={onFiles}
        />
      ) : null}
    </View>
  );
}
