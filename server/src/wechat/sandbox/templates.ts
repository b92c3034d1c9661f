// Message templates: the registry of template ids with their keywords, the value rules per keyword
// type, and subscribe-message consent.
// WeChat documents followed:
//   - 服务号 "模板消息接口" (/doc/offiaccount/Message_Management/Template_Message_Interface.html):
//     an id not added to the account → 40037; `data` must fill the template's keywords → 47003.
//   - 小程序 "发送订阅消息" (/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html):
//     the keyword value rules (thing ≤ 20, phrase ≤ 5 Chinese, character_string ≤ 32, number ≤ 32
//     digits, phone_number ≤ 17, name ≤ 10, amount, time, date, letter, symbol, car_number) and
//     43101 when the user gave no consent; each consent (wx.requestSubscribeMessage, 允许) is one send.
//   - "获取模板列表" (/doc/offiaccount/Message_Management/Template_Message_Interface.html#获取模板列表):
//     GET cgi-bin/template/get_all_private_template → template_list.
import type Router from '@koa/router';
import { controlError, wxError } from './errors.js';
import { appOf, handle, isObject, readBody, requireToken, type SandboxCtxState } from './http.js';
import type { SandboxStore } from './state.js';

export type TemplateKind = 'oa' | 'mp';

export interface SandboxTemplate {
  appid: string;
  templateId: string;
  kind: TemplateKind;
  title: string;
  keywords: string[];
}

export interface TemplateSeed {
  templateId: string;
  keywords: string[];
  kind: TemplateKind;
  title?: string;
  /** Default: the first app of that kind. */
  appid?: string;
}

/** Qiao's templates by their default ids (contract 2). */
export const QIAO_TEMPLATES: readonly TemplateSeed[] = [
  { kind: 'oa', templateId: 'qiao-service-status', title: '服务进度通知', keywords: ['character_string1', 'thing2', 'phrase3', 'thing4', 'time5'] },
  { kind: 'oa', templateId: 'qiao-service-overdue', title: '服务超时提醒', keywords: ['character_string1', 'thing2', 'time3', 'thing4'] },
  { kind: 'oa', templateId: 'qiao-warranty-expiring', title: '保修到期提醒', keywords: ['thing1', 'character_string2', 'time3', 'thing4'] },
  { kind: 'oa', templateId: 'qiao-staff-binding', title: '员工绑定通知', keywords: ['thing1', 'phrase2', 'time3', 'thing4'] },
  { kind: 'oa', templateId: 'qiao-lead-new', title: '新线索通知', keywords: ['thing1', 'thing2', 'phone_number3', 'time4'] },
  { kind: 'oa', templateId: 'qiao-pool-return', title: '客户回收提醒', keywords: ['thing1', 'time2', 'thing3'] },
  {
    kind: 'mp',
    templateId: 'qiao-mp-work-order',
    title: '工单通知',
    keywords: ['character_string1', 'thing2', 'thing3', 'phone_number4', 'time5'],
  },
];

/** WeChat: a subscribe template has at most 5 keywords. */
export const MP_TEMPLATE_MAX_KEYWORDS = 5;
const KEYWORD = /^([a-z_]+?)(\d+)$/;
// `keyword` is the free-text keyword of the older industry templates (keyword1, keyword2, … in
// WeChat's own template-send example): only the general rules (no emoji, no line break) apply.
const TYPES = ['thing', 'number', 'letter', 'symbol', 'character_string', 'time', 'date', 'amount', 'phone_number', 'car_number', 'name', 'phrase', 'keyword'] as const;

// Emoji and other pictographs WeChat does not display: refused in any keyword value.
const EMOJI = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{FE0F}\u{200D}]/u;
const DATE = String.raw`\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?`;
const CLOCK = String.raw`\d{1,2}:\d{2}(:\d{2})?`;

/** Whether `value` is acceptable for the keyword type (WeChat's rules; length in characters). */
export function valueFits(type: string, value: string): boolean {
  if (value === '' || /[\r\n\u2028\u2029]/.test(value) || EMOJI.test(value)) return false;
  const length = [...value].length;
  switch (type) {
    case 'thing':
      return length <= 20;
    case 'phrase':
      return length <= 5 && /^\p{Script=Han}+$/u.test(value);
    case 'character_string':
      return length <= 32 && /^[\x21-\x7e]+$/.test(value);
    case 'number':
      return length <= 32 && /^-?\d+(\.\d+)?$/.test(value);
    case 'letter':
      return length <= 32 && /^[A-Za-z]+$/.test(value);
    case 'symbol':
      return length <= 5 && /^[^\p{L}\p{N}\s]+$/u.test(value);
    case 'phone_number':
      return length <= 17 && /^[\d+\-]+$/.test(value);
    case 'car_number':
      return length <= 8;
    case 'name':
      return /^\p{Script=Han}+$/u.test(value) ? length <= 10 : length <= 20;
    case 'amount':
      return /^[¥￥$]?\d{1,10}(\.\d{1,2})?元?$/.test(value);
    case 'date':
      return new RegExp(`^${DATE}$`).test(value);
    case 'keyword':
      return length <= 200;
    case 'time':
      return new RegExp(`^(${DATE}( ${CLOCK})?|${CLOCK})$`).test(value) || new RegExp(`^${DATE}~${DATE}$`).test(value);
    default:
      return false;
  }
}

/** thing2 → thing, character_string1 → character_string; undefined for a malformed keyword. */
export function keywordType(keyword: string): string | undefined {
  const type = KEYWORD.exec(keyword)?.[1];
  return type && (TYPES as readonly string[]).includes(type) ? type : undefined;
}

/** The template `id` of `appid`; 40037 when the account never added it. */
export function findTemplate(store: SandboxStore, appid: string, id: unknown): SandboxTemplate {
  const template = typeof id === 'string' ? store.templates.get(`${appid}\n${id}`) : undefined;
  if (!template) throw wxError(40037);
  return template;
}

/** `data` must name exactly the template's keywords, each `{value}` fitting its type; 47003 otherwise. */
export function checkTemplateValues(template: SandboxTemplate, data: unknown): void {
  if (!isObject(data)) throw wxError(47003, 'data');
  for (const key of Object.keys(data)) {
    if (!template.keywords.includes(key)) throw wxError(47003, `data.${key} is not a keyword of the template`);
  }
  for (const key of template.keywords) {
    const item = data[key];
    if (!isObject(item) || typeof item.value !== 'string') throw wxError(47003, `data.${key}.value missing`);
    if (!valueFits(keywordType(key) ?? '', item.value)) throw wxError(47003, `data.${key}.value invalid`);
  }
}

export function registerTemplate(store: SandboxStore, seed: TemplateSeed): SandboxTemplate {
  if (seed.kind !== 'oa' && seed.kind !== 'mp') throw controlError("kind must be 'oa' or 'mp'");
  if (typeof seed.templateId !== 'string' || seed.templateId === '' || seed.templateId.length > 128) {
    throw controlError('templateId must be 1–128 characters');
  }
  const keywords = seed.keywords;
  if (!Array.isArray(keywords) || keywords.length === 0 || keywords.some((k) => typeof k !== 'string' || !keywordType(k))) {
    throw controlError(`keywords must be a non-empty list like thing1, character_string2 (types: ${TYPES.join(', ')})`);
  }
  if (new Set(keywords).size !== keywords.length) throw controlError('keywords must be distinct');
  if (seed.kind === 'mp' && keywords.length > MP_TEMPLATE_MAX_KEYWORDS) {
    throw controlError(`a subscribe template has at most ${MP_TEMPLATE_MAX_KEYWORDS} keywords`);
  }
  const app = store.defaultApp(seed.kind, seed.appid);
  const template: SandboxTemplate = { appid: app.appid, templateId: seed.templateId, kind: seed.kind, title: seed.title ?? seed.templateId, keywords: [...keywords] };
  store.templates.set(`${app.appid}\n${seed.templateId}`, template);
  return template;
}

/** One more allowed send of each template to the mini-program user (a tap of 允许). */
export function grantConsent(store: SandboxStore, openid: string, templateIds: string[], appid?: string): Record<string, number> {
  const app = store.defaultApp('mp', appid);
  const granted: Record<string, number> = {};
  for (const id of templateIds) {
    const template = store.templates.get(`${app.appid}\n${id}`);
    if (!template) throw controlError(`unknown subscribe template ${id}: register it with POST /sandbox/templates`, 40037);
    const key = `${app.appid}\n${openid}\n${id}`;
    const remaining = (store.consents.get(key) ?? 0) + 1;
    store.consents.set(key, remaining);
    granted[id] = remaining;
  }
  return granted;
}

/** Spend one consent for the send; 43101 when none is left. */
export function spendConsent(store: SandboxStore, appid: string, openid: string, templateId: string): void {
  const key = `${appid}\n${openid}\n${templateId}`;
  const remaining = store.consents.get(key) ?? 0;
  if (remaining <= 0) throw wxError(43101);
  store.consents.set(key, remaining - 1);
}

/** The template_list item WeChat shows for a template. */
function listItem(template: SandboxTemplate) {
  return {
    template_id: template.templateId,
    title: template.title,
    primary_industry: 'IT科技',
    deputy_industry: '互联网|电子商务',
    content: template.keywords.map((k) => `${k}：{{${k}.DATA}}`).join('\n'),
    example: '',
  };
}

export function registerTemplateRoutes(router: Router<SandboxCtxState>, store: SandboxStore): void {
  router.get(
    '/cgi-bin/template/get_all_private_template',
    requireToken(store, 'oa'),
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const list = [...store.templates.values()].filter((t) => t.appid === appid).map(listItem);
      return { template_list: list };
    }),
  );

  // Control: register another template (tests; ids set through WECHAT_TEMPLATE_*).
  router.post(
    '/templates',
    handle((ctx) => {
      const body = readBody(ctx);
      const appid = typeof body.appid === 'string' ? body.appid : undefined;
      const template = registerTemplate(store, {
        templateId: body.templateId as string,
        keywords: body.keywords as string[],
        kind: body.kind as TemplateKind,
        ...(typeof body.title === 'string' ? { title: body.title } : {}),
        ...(appid ? { appid } : {}),
      });
      return { errcode: 0, errmsg: 'ok', template };
    }),
  );

  router.get(
    '/templates',
    handle(() => ({ items: [...store.templates.values()] })),
  );

  // Control: the mini-program user tapped 允许 for these templates (contract 1).
  router.post(
    '/mp/subscribe-consent',
    handle((ctx) => {
      const body = readBody(ctx);
      const openid = body.openid;
      const ids = body.templateIds;
      if (typeof openid !== 'string' || openid === '') throw controlError('openid is required');
      if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string' || id === '')) {
        throw controlError('templateIds must be a non-empty list of template ids');
      }
      if (body.appid !== undefined && typeof body.appid !== 'string') throw controlError('appid must be a string');
      return { errcode: 0, errmsg: 'ok', granted: grantConsent(store, openid, ids as string[], body.appid as string | undefined) };
    }),
  );
}
