// Personal posters (全员营销): the material's cover with the caller's own parametric QR code
// (temporary, 30 days, scene `s_<token>`: a scan that follows the account or opens it counts as a
// landing through their token) and a caption. WeChat's showqrcode image is not used: the code is
// drawn from the ticket's `url`, the content WeChat encodes. Cached per (campaign, token).
import QRCode from 'qrcode';
import sharp from 'sharp';
import { forbidden, notFound } from '../../errors.js';
import type { Principal } from '../identity/principal.js';
import { openUpload, type FilesDeps } from '../files/upload.service.js';
import { campaignById, isLandable } from './campaign-source.js';
import { existingShareToken, shareTokenOf } from './lookup.service.js';
import { namesOf, ownerKeyOf } from './names.js';
import { PosterCode } from './share-node.model.js';
import { POSTER_SCENE_PREFIX, viewerOf } from './tracking.service.js';

export interface PosterDeps {
  files: FilesDeps;
  /** qrcode/create of the Official Account. */
  createQrCode(request: { action_name: 'QR_STR_SCENE'; expire_seconds: number; action_info: { scene: { scene_str: string } } }): Promise<{ ticket: string; url: string; expire_seconds?: number }>;
  now?: () => number;
}

/** Where things are on the poster (tests read the QR code back from here). */
export const POSTER_LAYOUT = { width: 750, coverHeight: 750, panelHeight: 330, qrSize: 260, qrMargin: 2, qrLeft: 750 - 260 - 40, qrTop: 750 + 35 };
export const QR_LIFETIME_SECONDS = 30 * 24 * 3600;
/** A code with less left than this is replaced (a poster forwarded today should still scan next week). */
const QR_RENEW_BEFORE_MS = 7 * 24 * 3600_000;

const images = new Map<string, Buffer>();

async function qrContent(token: string, deps: PosterDeps): Promise<string> {
  const now = (deps.now ?? Date.now)();
  const stored = await PosterCode.findById(token).lean();
  if (stored && stored.expiresAt.getTime() - QR_RENEW_BEFORE_MS > now) return stored.url;
  const code = await deps.createQrCode({ action_name: 'QR_STR_SCENE', expire_seconds: QR_LIFETIME_SECONDS, action_info: { scene: { scene_str: `${POSTER_SCENE_PREFIX}${token}` } } });
  const expiresAt = new Date(now + (code.expire_seconds ?? QR_LIFETIME_SECONDS) * 1000);
  // Two processes drawing at once both get a valid code; the last one stored is reused after.
  await PosterCode.updateOne({ _id: token }, { $set: { ticket: code.ticket, url: code.url, expiresAt } }, { upsert: true });
  return code.url;
}

async function coverImage(coverFileId: string | null, files: FilesDeps): Promise<Buffer | null> {
  if (!coverFileId) return null;
  try {
    const { stream } = await openUpload(coverFileId, files);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } catch {
    return null;
  }
}

const xml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
const clip = (text: string, max: number) => ([...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text);

function captionSvg(title: string, sharer: string): Buffer {
  const { width, panelHeight } = POSTER_LAYOUT;
  const lines = [clip(title, 11), [...title].length > 11 ? clip([...title].slice(11).join(''), 11) : ''].filter(Boolean);
  const titleSvg = lines.map((line, i) => `<text x="40" y="${80 + i * 46}" font-size="36" font-weight="bold" fill="#1f1f1f">${xml(line)}</text>`).join('');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${panelHeight}">` +
      `<rect width="100%" height="100%" fill="#ffffff"/>` +
      `<g font-family="Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, sans-serif">${titleSvg}` +
      `<text x="40" y="220" font-size="26" fill="#595959">${xml(clip(`${sharer} 向您推荐`, 14))}</text>` +
      `<text x="40" y="266" font-size="24" fill="#8c8c8c">长按识别二维码，查看详情</text></g></svg>`,
  );
}

async function draw(cover: Buffer | null, qrUrl: string, title: string, sharer: string): Promise<Buffer> {
  const { width, coverHeight, panelHeight, qrSize, qrMargin, qrLeft, qrTop } = POSTER_LAYOUT;
  const background = cover
    ? await sharp(cover).resize(width, coverHeight, { fit: 'cover' }).png().toBuffer().catch(() => null)
    : null;
  // Without a cover (or an unreadable one): a plain brand-coloured field.
  const top = background ?? (await sharp({ create: { width, height: coverHeight, channels: 3, background: '#1677ff' } }).png().toBuffer());
  const qr = await QRCode.toBuffer(qrUrl, { type: 'png', width: qrSize, margin: qrMargin, errorCorrectionLevel: 'M' });
  return sharp({ create: { width, height: coverHeight + panelHeight, channels: 3, background: '#ffffff' } })
    .composite([
      { input: top, left: 0, top: 0 },
      { input: captionSvg(title, sharer), left: 0, top: coverHeight },
      { input: await sharp(qr).resize(qrSize, qrSize, { kernel: 'nearest' }).png().toBuffer(), left: qrLeft, top: qrTop },
    ])
    .png()
    .toBuffer();
}

/** The caller's poster: staff always (their hand-out), customers when they have a link in the campaign. */
export async function personalPoster(campaignId: string, principal: Principal, deps: PosterDeps): Promise<Buffer> {
  const campaign = await campaignById(campaignId);
  if (!campaign || !isLandable(campaign)) throw notFound('CAMPAIGN_NOT_FOUND', '活动不存在或已结束');
  const owner = await viewerOf(principal, '');
  const token = owner.kind === 'staff' ? await shareTokenOf(campaignId, owner) : await existingShareToken(campaignId, owner);
  if (!token) throw forbidden('NOT_A_RECIPIENT', '您还没有收到该活动，无法生成海报');
  const qrUrl = await qrContent(token, deps);
  const key = `${campaignId}:${token}:${campaign.coverFileId ?? ''}:${qrUrl}`;
  const cached = images.get(key);
  if (cached) return cached;
  const sharer = (await namesOf([owner])).get(ownerKeyOf(owner)) ?? '';
  const png = await draw(await coverImage(campaign.coverFileId, deps.files), qrUrl, campaign.title, sharer);
  if (images.size >= 200) images.clear();
  images.set(key, png);
  return png;
}
