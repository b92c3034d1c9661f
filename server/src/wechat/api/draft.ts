// Articles for mass send (WeChat: "草稿箱" and "素材管理"): images inside an article's body are
// uploaded with media/uploadimg (→ a URL WeChat accepts in `content`; outside images are filtered
// out), the cover as a permanent image with material/add_material (→ media_id), then the article
// is saved as a draft with draft/add (→ the media_id that mass send's `mpnews` names).
// The two uploads are multipart forms (field `media`), which the JSON `request` of the core does
// not send: they go through `upload` here, with the same token handling and typed errors.
import { TOKEN_ERRCODES, WeChatApiError, WeChatNetworkError } from './errors.js';
import type { WeChatCore } from './client.js';

export interface DraftArticle {
  /** ≤ 32 characters. */
  title: string;
  /** ≤ 16 characters. */
  author?: string;
  /** ≤ 128 characters. */
  digest?: string;
  /** HTML, < 20,000 characters and < 1 MB; images only from media/uploadimg. */
  content: string;
  /** 阅读原文 link. */
  content_source_url?: string;
  /** A permanent image media_id (material/add_material). */
  thumb_media_id: string;
  need_open_comment?: 0 | 1;
  only_fans_can_comment?: 0 | 1;
}

export interface UploadFile {
  bytes: Buffer;
  filename: string;
  contentType: string;
}

const UPLOAD_TIMEOUT_MS = 15_000;

export function draftApi(core: WeChatCore) {
  async function attempt(path: string, query: Record<string, string>, file: UploadFile, token: string): Promise<Record<string, unknown>> {
    const url = new URL(core.baseUrl + path);
    for (const [key, value] of Object.entries({ ...query, access_token: token })) url.searchParams.set(key, value);
    const form = new FormData();
    form.append('media', new Blob([new Uint8Array(file.bytes)], { type: file.contentType }), file.filename);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method: 'POST', body: form, signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS) });
      text = await response.text();
    } catch (error) {
      throw new WeChatNetworkError('network', path, error instanceof Error ? error.message : String(error), undefined, { cause: error });
    }
    if (!response.ok) throw new WeChatNetworkError('http', path, `HTTP ${response.status}`, response.status);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new WeChatNetworkError('invalid-response', path, 'the answer is not JSON', response.status, { cause: error });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new WeChatNetworkError('invalid-response', path, 'not a JSON object');
    const answer = body as Record<string, unknown>;
    const errcode = typeof answer.errcode === 'number' ? answer.errcode : 0;
    if (errcode !== 0) throw new WeChatApiError(errcode, String(answer.errmsg ?? ''), path, answer);
    return answer;
  }

  /** A multipart upload with the shared token; a refused token is refreshed once, like `request`. */
  async function upload(path: string, query: Record<string, string>, file: UploadFile): Promise<Record<string, unknown>> {
    const token = await core.getAccessToken();
    try {
      return await attempt(path, query, file, token);
    } catch (error) {
      if (!(error instanceof WeChatApiError) || !TOKEN_ERRCODES.has(error.errcode)) throw error;
      return attempt(path, query, file, await core.refreshAccessToken(token));
    }
  }

  return {
    /** An image for an article's body (JPG/PNG, < 1 MB) → its URL on WeChat's servers. */
    async uploadArticleImage(file: UploadFile): Promise<{ url: string }> {
      const answer = await upload('/cgi-bin/media/uploadimg', {}, file);
      return { url: String(answer.url) };
    },

    /** A permanent image (≤ 10 MB; bmp/png/jpeg/jpg/gif) → media_id (and its URL). */
    async addPermanentImage(file: UploadFile): Promise<{ media_id: string; url: string }> {
      const answer = await upload('/cgi-bin/material/add_material', { type: 'image' }, file);
      return { media_id: String(answer.media_id), url: String(answer.url ?? '') };
    },

    /** A draft of one or more articles → its media_id (for mass send's `mpnews`). */
    async addDraft(articles: DraftArticle[]): Promise<{ media_id: string }> {
      const answer = await core.request<{ media_id: string }>({ method: 'POST', path: '/cgi-bin/draft/add', body: { articles } });
      return { media_id: String(answer.media_id) };
    },
  };
}
