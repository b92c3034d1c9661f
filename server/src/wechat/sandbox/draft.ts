// Articles for mass send. WeChat documents followed:
//   - "上传发表内容中的图片" (/doc/service/api/notify/message/api_uploadimage.html, POST
//     cgi-bin/media/uploadimg, multipart field `media`): JPG/PNG only, under 1 MB → `{url}`; the
//     image does not count against the media library.
//   - "上传永久素材" (/doc/service/api/material/permanent/api_addmaterial.html, POST
//     cgi-bin/material/add_material?type=image, field `media`): image ≤ 10 MB, bmp/png/jpeg/jpg/gif
//     → `{media_id, url}`; other types (voice, video, thumb) are not modelled here (40004).
//   - "新增草稿" (/doc/service/api/draftbox/draftmanage/api_draft_add.html, POST cgi-bin/draft/add):
//     `articles` (1–8); title required, ≤ 32 characters; author ≤ 16; digest ≤ 128; content
//     required, < 20,000 characters and < 1 MB, its images must come from media/uploadimg (others
//     are filtered out, as WeChat does); content_source_url ≤ 1 KB; thumb_media_id (news) a
//     permanent image → `{media_id}`.
// Error codes from 全局返回码说明 (/doc/offiaccount/Getting_Started/Global_Return_Code.html).
import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import busboy from 'busboy';
import { wxError } from './errors.js';
import { appOf, handle, isObject, optString, queryParam, readBody, requireToken, type SandboxContext, type SandboxCtxState } from './http.js';
import type { SandboxStore } from './state.js';

const ARTICLE_IMAGE_MAX_BYTES = 1024 * 1024;
const PERMANENT_IMAGE_MAX_BYTES = 10 * 1024 * 1024;
const DRAFT_MAX_ARTICLES = 8;
const LIMITS = { title: 32, author: 16, digest: 128, content: 20_000, contentBytes: 1024 * 1024, sourceUrlBytes: 1024 } as const;

export interface SandboxDraft {
  media_id: string;
  appid: string;
  articles: Array<Record<string, unknown>>;
  at: string;
}

interface DraftState {
  /** URLs handed out by media/uploadimg. */
  articleImages: Set<string>;
  /** Permanent images: media_id → url. */
  permanentImages: Map<string, string>;
  drafts: Map<string, SandboxDraft>;
}

const states = new WeakMap<SandboxStore, DraftState>();
export function draftState(store: SandboxStore): DraftState {
  let state = states.get(store);
  if (!state) {
    state = { articleImages: new Set(), permanentImages: new Map(), drafts: new Map() };
    states.set(store, state);
  }
  return state;
}

type ImageKind = 'jpg' | 'png' | 'gif' | 'bmp';
function imageKind(bytes: Buffer): ImageKind | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 4 && bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'gif';
  if (bytes.length >= 2 && bytes.subarray(0, 2).toString('latin1') === 'BM') return 'bmp';
  return null;
}

/** The `media` file of a multipart form (41005 when there is none). */
function readMedia(ctx: SandboxContext, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: ctx.req.headers, limits: { files: 1, fileSize: maxBytes + 1 } });
    } catch {
      reject(wxError(41005));
      return;
    }
    let media: Buffer | undefined;
    let tooLarge = false;
    parser.on('file', (name, stream) => {
      stream.on('error', () => reject(wxError(41005)));
      if (name !== 'media') return void stream.resume();
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        tooLarge = true;
      });
      stream.on('end', () => {
        media = Buffer.concat(chunks);
      });
    });
    parser.on('error', () => reject(wxError(41005)));
    parser.on('close', () => {
      if (tooLarge) reject(wxError(40009));
      else if (!media || media.length === 0) reject(wxError(41005));
      else resolve(media);
    });
    ctx.req.pipe(parser);
  });
}

const mmbizUrl = (appid: string, kind: string) => `http://mmbiz.qpic.cn/sandbox/${appid}/${kind}/${randomBytes(12).toString('hex')}/0`;

/** WeChat filters images not uploaded through media/uploadimg out of an article's content. */
function filterImages(content: string, allowed: Set<string>): string {
  return content.replace(/<img\b[^>]*>/gi, (tag) => {
    const src = /\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
    const url = src ? (src[1] ?? src[2] ?? src[3] ?? '') : '';
    return allowed.has(url) ? tag : '';
  });
}

function checkArticle(article: unknown, state: DraftState): Record<string, unknown> {
  if (!isObject(article)) throw wxError(47001, 'articles');
  const type = article.article_type ?? 'news';
  if (type !== 'news' && type !== 'newspic') throw wxError(47001, 'article_type');
  const title = optString(article.title);
  if (!title) throw wxError(47001, 'title');
  if ([...title].length > LIMITS.title) throw wxError(45003);
  if (article.author !== undefined && (typeof article.author !== 'string' || [...article.author].length > LIMITS.author)) throw wxError(45110);
  if (article.digest !== undefined && (typeof article.digest !== 'string' || [...article.digest].length > LIMITS.digest)) throw wxError(45004);
  const content = optString(article.content);
  if (!content) throw wxError(47001, 'content');
  if ([...content].length >= LIMITS.content || Buffer.byteLength(content) >= LIMITS.contentBytes) throw wxError(45002);
  const source = article.content_source_url;
  if (source !== undefined && (typeof source !== 'string' || Buffer.byteLength(source) > LIMITS.sourceUrlBytes)) throw wxError(45005);
  if (type === 'news') {
    const thumb = optString(article.thumb_media_id);
    if (!thumb || !state.permanentImages.has(thumb)) throw wxError(40007);
  }
  return { ...article, content: filterImages(content, state.articleImages) };
}

export function registerDraftRoutes(router: Router<SandboxCtxState>, store: SandboxStore): void {
  const auth = requireToken(store, 'oa');

  router.post(
    '/cgi-bin/media/uploadimg',
    auth,
    handle(async (ctx) => {
      const appid = appOf(ctx).appid;
      const bytes = await readMedia(ctx, ARTICLE_IMAGE_MAX_BYTES);
      const kind = imageKind(bytes);
      if (kind !== 'jpg' && kind !== 'png') throw wxError(40005);
      const url = mmbizUrl(appid, 'article');
      draftState(store).articleImages.add(url);
      return { url };
    }),
  );

  router.post(
    '/cgi-bin/material/add_material',
    auth,
    handle(async (ctx) => {
      const appid = appOf(ctx).appid;
      const type = queryParam(ctx, 'type');
      if (type !== 'image') throw wxError(40004);
      const bytes = await readMedia(ctx, PERMANENT_IMAGE_MAX_BYTES);
      if (!imageKind(bytes)) throw wxError(40005);
      const mediaId = randomBytes(16).toString('base64url');
      const url = mmbizUrl(appid, 'material');
      draftState(store).permanentImages.set(mediaId, url);
      return { media_id: mediaId, url };
    }),
  );

  router.post(
    '/cgi-bin/draft/add',
    auth,
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const body = readBody(ctx);
      const articles = body.articles;
      if (!Array.isArray(articles) || articles.length === 0) throw wxError(47001, 'articles');
      if (articles.length > DRAFT_MAX_ARTICLES) throw wxError(45008);
      const state = draftState(store);
      const checked = articles.map((article) => checkArticle(article, state));
      const mediaId = randomBytes(16).toString('base64url');
      state.drafts.set(mediaId, { media_id: mediaId, appid, articles: checked, at: new Date(store.now()).toISOString() });
      return { media_id: mediaId, item: [] };
    }),
  );

  router.get(
    '/drafts',
    handle(() => ({ items: [...draftState(store).drafts.values()] })),
  );
}
