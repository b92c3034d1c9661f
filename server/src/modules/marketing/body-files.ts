// Images of a material's body are uploads (files module). Signed links expire in an hour, so the
// body is stored with the bare path `/api/v1/files/<id>` and signed each time it is shown.
import { fileUrl } from '../files/signing.js';
import { sanitizeHtml } from './sanitize.js';

const FILE_LINK = /^(?:https?:\/\/[^/]+)?\/api\/v1\/files\/([a-f0-9]{24})(?:\?.*)?$/;
const STORED_SRC = /(<img\b[^>]*?\ssrc=")\/api\/v1\/files\/([a-f0-9]{24})(")/g;

/** The allow-listed body, with links to our own files reduced to their bare path. */
export function cleanBody(html: string): string {
  return sanitizeHtml(html, {
    rewriteUrl: (_tag, url) => {
      const match = FILE_LINK.exec(url);
      return match ? `/api/v1/files/${match[1]}` : url;
    },
  });
}

/** Ids of the uploads the stored body shows. */
export function bodyFileIds(html: string): string[] {
  return [...new Set([...html.matchAll(STORED_SRC)].map((match) => match[2]!))];
}

/** The stored body with each of our images replaced: `replace(fileId)` gives its new URL. */
export async function replaceBodyFiles(html: string, replace: (fileId: string) => Promise<string> | string): Promise<string> {
  const urls = new Map<string, string>();
  for (const id of bodyFileIds(html)) urls.set(id, await replace(id));
  return html.replace(STORED_SRC, (_whole, before: string, id: string, after: string) => `${before}${urls.get(id) ?? ''}${after}`);
}

/** The stored body for display: each image with a fresh signed link. */
export function signedBody(html: string, now = new Date()): string {
  return html.replace(STORED_SRC, (_whole, before: string, id: string, after: string) => `${before}${fileUrl(id, now).replace(/&/g, '&amp;')}${after}`);
}
