// Parametric QR codes (WeChat: "生成带参数的二维码"). The scene comes back in the follower's
// `subscribe` event (EventKey qrscene_…) or a `SCAN` event. Temporary: ≤ 30 days, unlimited;
// permanent: scene_id 1–100000 (at most 100,000 codes); scene_str 1–64 characters.
import type { WeChatCore } from './client.js';

export type QrCodeRequest =
  | { action_name: 'QR_SCENE'; expire_seconds?: number; action_info: { scene: { scene_id: number } } }
  | { action_name: 'QR_STR_SCENE'; expire_seconds?: number; action_info: { scene: { scene_str: string } } }
  | { action_name: 'QR_LIMIT_SCENE'; action_info: { scene: { scene_id: number } } }
  | { action_name: 'QR_LIMIT_STR_SCENE'; action_info: { scene: { scene_str: string } } };

export interface QrCodeResult {
  /** Exchange for the image at showqrcode?ticket= (URL-encode it). */
  ticket: string;
  /** Temporary codes only. */
  expire_seconds?: number;
  /** The content of the code, to draw it yourself. */
  url: string;
}

export const QR_TEMPORARY_MAX_SECONDS = 2_592_000;

/** The request for a temporary code with a numeric or string scene. */
export function temporaryQrCode(scene: number | string, expireSeconds: number): QrCodeRequest {
  return typeof scene === 'number'
    ? { action_name: 'QR_SCENE', expire_seconds: expireSeconds, action_info: { scene: { scene_id: scene } } }
    : { action_name: 'QR_STR_SCENE', expire_seconds: expireSeconds, action_info: { scene: { scene_str: scene } } };
}

/** The request for a permanent code with a numeric or string scene. */
export function permanentQrCode(scene: number | string): QrCodeRequest {
  return typeof scene === 'number'
    ? { action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: scene } } }
    : { action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: scene } } };
}

export function qrCodeApi(core: WeChatCore) {
  return {
    async createQrCode(request: QrCodeRequest): Promise<QrCodeResult> {
      const answer = await core.request<QrCodeResult>({ method: 'POST', path: '/cgi-bin/qrcode/create', body: request });
      const result: QrCodeResult = { ticket: answer.ticket, url: answer.url };
      if (answer.expire_seconds !== undefined) result.expire_seconds = answer.expire_seconds;
      return result;
    },
  };
}
