import Taro from '@tarojs/taro';
import { FEEDBACK_RULES, uploadResultSchema } from '@qiao/shared';
import { apiBase } from './config';
import { ApiError, NETWORK_ERROR_MESSAGE, parseApiError } from './request';
import { clearSession, ensureSession, parseResponse } from './session';

export interface UploadedPhoto {
  id: string;
  url: string;
}

/** A picked image before upload: a local path (weapp temp file or H5 blob URL) with what is known of it. */
export interface LocalImage {
  path: string;
  size: number;
  /** MIME type when the platform tells it (H5); else guessed from the file name. */
  type: string;
  name: string;
}

const MAX_MB = FEEDBACK_RULES.maxPhotoBytes / 1024 / 1024;

function guessType(image: LocalImage): string {
  if (image.type) return image.type.toLowerCase();
  const name = (image.name || image.path).toLowerCase().split('?')[0] ?? '';
  if (/\.jpe?g$/.test(name)) return 'image/jpeg';
  if (/\.png$/.test(name)) return 'image/png';
  return '';
}

/** The Chinese reason a picked image may not be uploaded, or null when it may. */
export function rejectReason(image: LocalImage): string | null {
  if (!(FEEDBACK_RULES.photoTypes as readonly string[]).includes(guessType(image))) {
    return '只能上传 JPG 或 PNG 格式的图片';
  }
  if (image.size > FEEDBACK_RULES.maxPhotoBytes) return `图片不能超过 ${MAX_MB} MB`;
  return null;
}

function fileNameOf(image: LocalImage): string {
  if (image.name) return image.name;
  return guessType(image) === 'image/png' ? 'photo.png' : 'photo.jpg';
}

async function send(image: LocalImage, token: string): Promise<Taro.uploadFile.SuccessCallbackResult> {
  try {
    return await Taro.uploadFile({
      url: `${apiBase()}/api/v1/uploads`,
      filePath: image.path,
      name: 'file',
      fileName: fileNameOf(image),
      header: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      timeout: 60_000,
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', NETWORK_ERROR_MESSAGE);
  }
}

/** `POST /uploads` (multipart, field `file`) with the bearer token; a 401 logs in again once. */
export async function uploadPhoto(image: LocalImage): Promise<UploadedPhoto> {
  let session = await ensureSession();
  let response = await send(image, session.token);
  if (response.statusCode === 401) {
    clearSession();
    session = await ensureSession();
    response = await send(image, session.token);
  }
  if (response.statusCode < 200 || response.statusCode >= 300) throw parseApiError(response.statusCode, response.data);
  let data: unknown = response.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data) as unknown;
    } catch {
      data = null;
    }
  }
  return parseResponse(uploadResultSchema, data);
}
