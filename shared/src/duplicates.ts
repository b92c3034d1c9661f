// Duplicate check (撞单分析): how alike two leads or customers are, field by field. Pure functions,
// shared by the server (which checks on create, edit and on demand) and the console (which shows
// why two records were matched). What takes part, the match degree and what is shown are settings
// (`DuplicateRules`); the scoring itself is fixed here and tested with real-looking names.
import { z } from 'zod';
import { normalizePhone } from './customers.js';

export const duplicateFields = ['company', 'phone', 'name', 'email'] as const;
export type DuplicateField = (typeof duplicateFields)[number];
export const duplicateFieldLabels: Record<DuplicateField, string> = {
  company: '公司名称',
  phone: '电话',
  name: '联系人姓名',
  email: '邮箱',
};

/** The fields of a record the check reads; any may be empty. */
export interface DuplicateCandidate {
  company?: string | null;
  phone?: string | null;
  name?: string | null;
  email?: string | null;
}

export const duplicateRuleSchema = z
  .object({
    field: z.enum(duplicateFields),
    /** exact: equal once normalised; similar: a score at or above `threshold`. */
    mode: z.enum(['exact', 'similar']),
    threshold: z.number().min(0.5, '相似度不能低于 50%').max(1, '相似度不能高于 100%').default(0.85),
  })
  .strict();
export type DuplicateRule = z.infer<typeof duplicateRuleSchema>;

export const duplicateSettingsSchema = z
  .object({
    /** A record conflicts when ANY rule matches (one shared phone is enough to be a 撞单). */
    rules: z
      .array(duplicateRuleSchema)
      .min(1, '至少选择一个参与撞单的字段')
      .max(duplicateFields.length)
      .refine((rules) => new Set(rules.map((rule) => rule.field)).size === rules.length, '每个字段只能设置一次'),
    /** Columns of the conflict list. */
    showFields: z.array(z.enum(['company', 'name', 'phone', 'email', 'owner', 'status', 'createdAt'])).min(1).max(7),
    /** false: a conflicting record is refused (409); true: it is saved with a warning. */
    allowSave: z.boolean(),
  })
  .strict();
export type DuplicateSettings = z.infer<typeof duplicateSettingsSchema>;

export const defaultDuplicateSettings: DuplicateSettings = {
  rules: [
    { field: 'company', mode: 'similar', threshold: 0.85 },
    { field: 'phone', mode: 'exact', threshold: 1 },
  ],
  showFields: ['company', 'name', 'phone', 'owner', 'status', 'createdAt'],
  allowSave: false,
};

// ---------------------------------------------------------------------------------------------
// Company names. `杭州蓝鲸科技有限公司`, `蓝鲸科技（杭州）有限公司` and `蓝鲸科技` are one company:
// the place, the legal form and the brackets are dressing around the name proper (字号 + 行业).
// `宁波蓝鲸科技有限公司` is not the same company as the Hangzhou one, and `蓝鲸贸易` is not `蓝鲸科技`.

/** Provinces, regions and the cities a company name most often starts with (without 省/市). */
const PLACES = [
  '北京', '天津', '上海', '重庆', '河北', '山西', '辽宁', '吉林', '黑龙江', '江苏', '浙江', '安徽', '福建', '江西',
  '山东', '河南', '湖北', '湖南', '广东', '海南', '四川', '贵州', '云南', '陕西', '甘肃', '青海', '台湾', '内蒙古',
  '广西', '西藏', '宁夏', '新疆', '香港', '澳门', '杭州', '宁波', '温州', '嘉兴', '湖州', '绍兴', '金华', '衢州',
  '舟山', '台州', '丽水', '南京', '苏州', '无锡', '常州', '南通', '扬州', '徐州', '合肥', '福州', '厦门', '泉州',
  '南昌', '济南', '青岛', '烟台', '郑州', '武汉', '长沙', '广州', '深圳', '东莞', '佛山', '珠海', '中山', '成都',
  '贵阳', '昆明', '西安', '兰州', '沈阳', '大连', '长春', '哈尔滨', '石家庄', '太原', '南宁', '海口', '乌鲁木齐',
  '呼和浩特', '银川', '西宁', '拉萨', '义乌', '昆山', '慈溪', '余姚', '萧山',
].sort((a, b) => b.length - a.length);

/** Legal forms, longest first so that 有限责任公司 is not read as …有限 + 责任公司. */
const LEGAL_FORMS = [
  '股份有限公司', '有限责任公司', '集团有限公司', '有限公司', '集团公司', '分公司', '总公司', '公司', '集团', '股份', '有限',
  'coltd', 'co', 'ltd', 'limited', 'inc', 'corp', 'corporation', 'company', 'group',
].sort((a, b) => b.length - a.length);

/** Industry words (行业) that follow the trade name (字号). */
const INDUSTRIES = [
  // Single words only: a compound (智能科技) is read word by word, so 蓝鲸智能科技 and 蓝鲸科技 share 科技.
  '新能源', '自动化', '软件', '科技', '技术', '信息', '网络', '电子', '商务', '电气', '机械', '设备', '贸易', '商贸',
  '实业', '制造', '工业', '工程', '建设', '建筑', '发展', '投资', '咨询', '服务', '物流', '食品', '化工', '材料',
  '能源', '医药', '医疗', '器械', '生物', '电器', '家电', '汽车', '文化', '传媒', '教育', '餐饮', '置业', '地产',
  '控股', '国际', '环保', '智能', '仪器', '五金',
].sort((a, b) => b.length - a.length);

export interface CompanyParts {
  /** The trade name proper (字号), e.g. 蓝鲸. */
  core: string;
  /** Industry words in the order found, e.g. ['科技']. */
  industry: string[];
  /** The place named in the name, '' when none. */
  place: string;
}

/** Full-width to half-width, lower case, no spaces or punctuation (brackets are handled before). */
function fold(value: string): string {
  return value.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
}

function stripPlace(value: string): { rest: string; place: string } {
  for (const place of PLACES) {
    for (const suffix of ['省', '市', '']) {
      const prefix = place + suffix;
      if (value.startsWith(prefix) && value.length > prefix.length + 1) return { rest: value.slice(prefix.length), place };
    }
  }
  return { rest: value, place: '' };
}

/** Take a company name apart: place, trade name, industry, legal form dropped. */
export function companyParts(name: string): CompanyParts {
  let value = name.normalize('NFKC');
  let place = '';
  // A bracketed part is a place (`蓝鲸科技（杭州）有限公司`) or a remark: either way not the name.
  value = value.replace(/[(（\[【]([^)）\]】]*)[)）\]】]/g, (_, inner: string) => {
    const inside = fold(inner).replace(/[省市区县]$/, '');
    if (!place && PLACES.includes(inside)) place = inside;
    return '';
  });
  value = fold(value);
  // `浙江省杭州市蓝鲸…`: every leading place goes; the last (the most precise) is kept.
  for (let leading = stripPlace(value); leading.place; leading = stripPlace(value)) {
    value = leading.rest;
    place = leading.place;
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const form of LEGAL_FORMS) {
      if (value.endsWith(form) && value.length > form.length) {
        value = value.slice(0, -form.length);
        changed = true;
      }
    }
  }
  const industry: string[] = [];
  changed = true;
  while (changed) {
    changed = false;
    for (const word of INDUSTRIES) {
      if (value.endsWith(word) && value.length > word.length) {
        industry.unshift(word);
        value = value.slice(0, -word.length);
        changed = true;
        break;
      }
    }
  }
  // A place between the trade name and the industry (`蓝鲸杭州科技`) is dressing too.
  for (const candidate of PLACES) {
    if (value.endsWith(candidate) && value.length > candidate.length) {
      place ||= candidate;
      value = value.slice(0, -candidate.length);
      break;
    }
  }
  // What is left is no name when it is only a legal form or a trade (`有限公司`, `杭州科技`).
  const generic = LEGAL_FORMS.includes(value) || INDUSTRIES.includes(value);
  return { core: generic ? '' : value, industry, place };
}

/** Bigram Dice similarity of two strings (1 for equal, 0 for nothing shared); one-character strings compare whole. */
export function diceSimilarity(a: string, b: string): number {
  if (a === b) return a ? 1 : 0;
  if (!a || !b) return 0;
  if (a.length < 2 || b.length < 2) return 0;
  const grams = (value: string) => {
    const counts = new Map<string, number>();
    for (let i = 0; i < value.length - 1; i += 1) {
      const gram = value.slice(i, i + 2);
      counts.set(gram, (counts.get(gram) ?? 0) + 1);
    }
    return counts;
  };
  const left = grams(a);
  const right = grams(b);
  let shared = 0;
  for (const [gram, count] of left) shared += Math.min(count, right.get(gram) ?? 0);
  return (2 * shared) / (a.length - 1 + (b.length - 1));
}

/** How alike two company names are, 0–1. */
export function companySimilarity(a: string, b: string): number {
  const left = companyParts(a);
  const right = companyParts(b);
  if (!left.core || !right.core) return 0;
  let score = left.core === right.core ? 1 : diceSimilarity(left.core, right.core);
  // Two different places: two legal entities (a branch at most), not one company.
  if (left.place && right.place && left.place !== right.place) score *= 0.6;
  // Two different trades under one trade name (蓝鲸科技 / 蓝鲸贸易) are told apart; a missing one is not held against.
  if (left.industry.length > 0 && right.industry.length > 0 && !left.industry.some((word) => right.industry.includes(word))) {
    score *= 0.7;
  }
  return Math.round(score * 100) / 100;
}

/** Digits only, with a mainland mobile's country code removed: `+86 138-0013-8000` → `13800138000`. */
export function phoneKey(value: string): string {
  const normalized = normalizePhone(value);
  return normalized.replace(/\D/g, '');
}

export function phoneSimilarity(a: string, b: string): number {
  const left = phoneKey(a);
  const right = phoneKey(b);
  // Fewer than 7 digits is an extension or a typo, not a number that identifies anyone.
  if (left.length < 7 || right.length < 7) return 0;
  if (left === right) return 1;
  // A landline with and without its area code (0571-88886666 / 88886666).
  if (left.length >= 10 && right.length >= 7 && left.endsWith(right) && left.startsWith('0')) return 1;
  if (right.length >= 10 && left.length >= 7 && right.endsWith(left) && right.startsWith('0')) return 1;
  return 0;
}

export function nameSimilarity(a: string, b: string): number {
  const left = fold(a);
  const right = fold(b);
  if (!left || !right) return 0;
  if (left === right) return 1;
  // Chinese names are 2–4 characters: one character different is another person.
  return Math.round(diceSimilarity(left, right) * 100) / 100;
}

export function emailSimilarity(a: string, b: string): number {
  const left = a.trim().toLowerCase();
  const right = b.trim().toLowerCase();
  return left && left === right ? 1 : 0;
}

const SIMILARITY: Record<DuplicateField, (a: string, b: string) => number> = {
  company: companySimilarity,
  phone: phoneSimilarity,
  name: nameSimilarity,
  email: emailSimilarity,
};

export interface FieldMatch {
  field: DuplicateField;
  score: number;
}

export interface DuplicateScore {
  /** The best field score among the rules that matched; 0 when none did. */
  score: number;
  matches: FieldMatch[];
}

/** Whether `candidate` conflicts with `existing` under `rules`, and how strongly. */
export function scoreDuplicate(candidate: DuplicateCandidate, existing: DuplicateCandidate, rules: DuplicateRule[]): DuplicateScore {
  const matches: FieldMatch[] = [];
  for (const rule of rules) {
    const left = candidate[rule.field]?.trim() ?? '';
    const right = existing[rule.field]?.trim() ?? '';
    if (!left || !right) continue;
    const score = SIMILARITY[rule.field](left, right);
    const matched = rule.mode === 'exact' ? score === 1 : score >= rule.threshold;
    if (matched) matches.push({ field: rule.field, score });
  }
  return { score: matches.reduce((best, match) => Math.max(best, match.score), 0), matches };
}

// ---------------------------------------------------------------------------------------------
// Keys: what finds the candidates to score, by index lookups instead of a scan. Every pair that
// `scoreDuplicate` could match under some rule shares at least one key (a score above 0 needs an
// equal normalised value or, for names and company cores, a shared bigram); records sharing no key
// are never compared. Exact rules look up only the whole-value keys, so near-misses (one digit,
// another mailbox, another core) are not even read.

const bigrams = (value: string): string[] => {
  const chars = Array.from(value);
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i += 1) out.push(chars[i]! + chars[i + 1]!);
  return out;
};

/** Whole-value phone keys: the digits, and a landline's number without its area code. */
function phoneKeys(phone: string): string[] {
  const digits = phoneKey(phone);
  if (digits.length < 7) return [];
  const keys = [`p:${digits}`];
  // 0571-88886666 and 88886666 are one number (phoneSimilarity): both carry p:88886666.
  if (digits.startsWith('0') && digits.length >= 10) {
    for (const areaLength of [3, 4]) if (digits.length - areaLength >= 7) keys.push(`p:${digits.slice(areaLength)}`);
  }
  return keys;
}

function fieldKeys(field: DuplicateField, value: string, similar: boolean): string[] {
  const trimmed = value.trim();
  if (!trimmed) return [];
  switch (field) {
    case 'phone':
      return phoneKeys(trimmed);
    case 'email':
      return [`e:${trimmed.toLowerCase()}`];
    case 'name': {
      const folded = fold(trimmed);
      if (!folded) return [];
      return [`n:${folded}`, ...(similar ? bigrams(folded).map((gram) => `n2:${gram}`) : [])];
    }
    case 'company': {
      const { core } = companyParts(trimmed);
      if (!core) return [];
      return [`c:${core}`, ...(similar ? bigrams(core).map((gram) => `c2:${gram}`) : [])];
    }
  }
}

/** Every key a stored record carries (all fields, whole values and bigrams): rules may change later. */
export function duplicateKeys(record: DuplicateCandidate): string[] {
  const keys = duplicateFields.flatMap((field) => fieldKeys(field, record[field] ?? '', true));
  return [...new Set(keys)];
}

/** The keys to look up for `candidate` under `rules`: whole values for exact rules, bigrams too for similar ones. */
export function duplicateLookupKeys(candidate: DuplicateCandidate, rules: DuplicateRule[]): string[] {
  const keys = rules.flatMap((rule) => fieldKeys(rule.field, candidate[rule.field] ?? '', rule.mode === 'similar'));
  return [...new Set(keys)];
}

// ---------------------------------------------------------------------------------------------
// Masking: contact details of a record the viewer may not see (the owner's name stays visible).

/** `13800138000` → `138****8000`; a landline keeps its first 3 and last 4 digits too. */
export function maskPhone(phone: string): string {
  const value = phone.trim();
  if (!value) return '';
  if (value.length < 8) return '****';
  return `${value.slice(0, 3)}${'*'.repeat(Math.max(4, value.length - 7))}${value.slice(-4)}`;
}

/** `zhang@x.com` → `z***@x.com`. */
export function maskEmail(email: string): string {
  const value = email.trim();
  if (!value) return '';
  const at = value.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${value.slice(0, 1)}***${value.slice(at)}`;
}
