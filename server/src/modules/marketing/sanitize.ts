// The rich body of a material, cut down to an allow-list before it is stored: known tags with known
// attributes, URLs with safe schemes only, styles with a few harmless properties. Everything else
// is dropped (script/style/iframe… with their content; other unknown tags keep their text). The
// output is re-serialised from what was parsed, so nothing of the input passes through unread.

const ALLOWED_TAGS = new Set([
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'b', 'em', 'i', 'u', 's', 'del', 'sub', 'sup',
  'blockquote', 'pre', 'code', 'span', 'div', 'section', 'ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody',
  'tfoot', 'tr', 'th', 'td', 'caption', 'figure', 'figcaption', 'font',
]);
const VOID_TAGS = new Set(['br', 'hr', 'img']);
/** Dropped together with everything inside them. */
const DROP_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'template', 'noscript', 'textarea', 'title', 'xmp', 'noembed', 'noframes', 'frameset', 'applet', 'math', 'svg', 'select', 'plaintext', 'head']);

const GLOBAL_ATTRS = new Set(['style', 'title']);
const TAG_ATTRS: Record<string, Set<string>> = {
  a: new Set(['href', 'target']),
  img: new Set(['src', 'alt', 'width', 'height']),
  td: new Set(['colspan', 'rowspan', 'align']),
  th: new Set(['colspan', 'rowspan', 'align']),
  ol: new Set(['start']),
  p: new Set(['align']),
  div: new Set(['align']),
  font: new Set(['color']),
};
const URL_ATTRS = new Set(['href', 'src']);
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);

const STYLE_PROPERTIES = new Set([
  'color', 'background-color', 'text-align', 'font-size', 'font-weight', 'font-style', 'font-family', 'text-decoration',
  'line-height', 'letter-spacing', 'text-indent', 'margin', 'margin-top', 'margin-bottom', 'margin-left', 'margin-right',
  'padding', 'padding-top', 'padding-bottom', 'padding-left', 'padding-right', 'width', 'max-width', 'height',
  'border', 'border-collapse', 'vertical-align', 'white-space',
]);

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', colon: ':', tab: '\t', newline: '\n', lpar: '(', rpar: ')', sol: '/', bsol: '\\', num: '#',
};

/** Character references → characters (enough to see through `jav&#x61;script:`). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

const escapeText = (text: string) => text.replace(/&(?!(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);)/gi, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A URL with a safe scheme (or none: relative), else null. Control characters and spaces are what browsers ignore. */
export function safeUrl(raw: string): string | null {
  const value = decodeEntities(raw).trim();
  // eslint-disable-next-line no-control-regex
  const probe = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(probe);
  if (scheme && !SAFE_SCHEMES.has(scheme[1]!)) return null;
  // `//host` is fine (same scheme); `\\` and odd prefixes are not worth the risk.
  if (probe.startsWith('\\')) return null;
  return value;
}

function safeStyle(raw: string): string | null {
  const kept: string[] = [];
  for (const declaration of decodeEntities(raw).split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration.slice(colon + 1).trim();
    if (!STYLE_PROPERTIES.has(property) || value === '') continue;
    // No url(), expression(), escapes or markup in a value.
    if (/url\s*\(|expression|javascript|\\|[<>"]|@import|behavior/i.test(value)) continue;
    kept.push(`${property}: ${value}`);
  }
  return kept.length > 0 ? kept.join('; ') : null;
}

const ATTR = /\s*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/y;

function parseAttributes(source: string): Array<[string, string]> {
  const attrs: Array<[string, string]> = [];
  let at = 0;
  while (at < source.length) {
    if (source[at] === '/' || /\s/.test(source[at]!)) {
      at += 1;
      continue;
    }
    ATTR.lastIndex = at;
    const match = ATTR.exec(source);
    if (!match || match[0].length === 0) break;
    attrs.push([match[1]!.toLowerCase(), match[2] ?? match[3] ?? match[4] ?? '']);
    at = ATTR.lastIndex;
  }
  return attrs;
}

/** Attributes kept on an allowed tag, serialised; `rewriteUrl` may change a URL (e.g. canonical file links). */
function keptAttributes(tag: string, attrs: Array<[string, string]>, rewriteUrl: (tag: string, url: string) => string): string {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const [name, raw] of attrs) {
    if (seen.has(name) || !(GLOBAL_ATTRS.has(name) || TAG_ATTRS[tag]?.has(name))) continue;
    let value: string | null = decodeEntities(raw);
    if (URL_ATTRS.has(name)) value = safeUrl(raw);
    else if (name === 'style') value = safeStyle(raw);
    else if (name === 'target') value = value === '_blank' ? '_blank' : null;
    else if (['width', 'height', 'colspan', 'rowspan', 'start'].includes(name)) value = /^\d{1,5}(%|px)?$/.test(value.trim()) ? value.trim() : null;
    if (value === null) continue;
    if (URL_ATTRS.has(name)) value = rewriteUrl(tag, value);
    seen.add(name);
    out.push(` ${name}="${escapeAttr(value)}"`);
  }
  if (tag === 'a' && seen.has('target')) out.push(' rel="noopener noreferrer"');
  return out.join('');
}

// Bounded: a tag is at most a few thousand characters, so an unclosed quote costs little.
const OPEN_TAG = /<([a-zA-Z][a-zA-Z0-9-]{0,30})((?:[^>"']|"[^"]{0,4000}"|'[^']{0,4000}'){0,200})>/y;
const CLOSE_TAG = /<\/([a-zA-Z][a-zA-Z0-9-]*)[^>]*>/y;

export interface SanitizeOptions {
  /** Rewrite a kept `href`/`src` (default: unchanged). */
  rewriteUrl?: (tag: string, url: string) => string;
}

/** The allow-listed form of `html`. */
export function sanitizeHtml(html: string, options: SanitizeOptions = {}): string {
  const rewriteUrl = options.rewriteUrl ?? ((_tag: string, url: string) => url);
  let out = '';
  let at = 0;
  while (at < html.length) {
    const lt = html.indexOf('<', at);
    if (lt < 0) {
      out += escapeText(html.slice(at));
      break;
    }
    out += escapeText(html.slice(at, lt));
    at = lt;
    if (html.startsWith('<!--', at)) {
      const end = html.indexOf('-->', at + 4);
      at = end < 0 ? html.length : end + 3;
      continue;
    }
    if (html[at + 1] === '!' || html[at + 1] === '?') {
      const end = html.indexOf('>', at);
      at = end < 0 ? html.length : end + 1;
      continue;
    }
    CLOSE_TAG.lastIndex = at;
    const close = CLOSE_TAG.exec(html);
    if (close) {
      const tag = close[1]!.toLowerCase();
      if (ALLOWED_TAGS.has(tag) && !VOID_TAGS.has(tag)) out += `</${tag}>`;
      at = CLOSE_TAG.lastIndex;
      continue;
    }
    OPEN_TAG.lastIndex = at;
    const open = OPEN_TAG.exec(html);
    if (!open) {
      // A lone `<` is text.
      out += '&lt;';
      at += 1;
      continue;
    }
    const tag = open[1]!.toLowerCase();
    at = OPEN_TAG.lastIndex;
    if (DROP_WITH_CONTENT.has(tag)) {
      const end = new RegExp(`</${tag}\\s*>`, 'ig');
      end.lastIndex = at;
      const found = end.exec(html);
      at = found ? end.lastIndex : html.length;
      continue;
    }
    if (!ALLOWED_TAGS.has(tag)) continue;
    out += `<${tag}${keptAttributes(tag, parseAttributes(open[2] ?? ''), rewriteUrl)}>`;
  }
  return out;
}
