// Keyword and event auto replies of the Official Account.
import type { AutoReplyInput, AutoReplyItem } from '@qiao/shared';
import { notFound } from '../../errors.js';
import { AutoReply, type AutoReplyDoc } from './auto-reply.model.js';
import { builtInDefaultReply } from './menu.service.js';
import { readCache } from './read-cache.js';

const normalize = (text: string) => text.normalize('NFKC').trim().toLowerCase();

/** Where a follower can go from a reply: the H5 pages (through web authorisation) and the mini-program. */
export interface SelfServiceLinks {
  /** H5 link through the Official Account's web authorisation (logs the follower in as themselves). */
  selfServiceUrl: string;
  /** Mini-program appid for `<a data-miniprogram-appid>` (opens the mini-program from the chat). */
  miniProgramAppid?: string;
}

const miniProgramLink = (appid: string, text: string) =>
  `<a data-miniprogram-appid="${appid}" data-miniprogram-path="pages/index/index" href="">${text}</a>`;

/** Built-in texts used until the company writes its own (trigger subscribe / default). */
export function builtInWelcome(links: SelfServiceLinks | string): string {
  const { selfServiceUrl, miniProgramAppid } = typeof links === 'string' ? { selfServiceUrl: links, miniProgramAppid: undefined } : links;
  return [
    '欢迎关注！',
    '在这里您可以：',
    '· 提交报修、安装、保养等服务请求',
    '· 随时查看服务进度，联系上门工程师',
    '· 对服务进行评价',
    `👉 <a href="${selfServiceUrl}">进入自助服务</a>`,
    ...(miniProgramAppid ? [`👉 ${miniProgramLink(miniProgramAppid, '打开小程序')}`] : []),
  ].join('\n');
}

/**
 * How long a process answers from its copy of the rules. A change made through this process is
 * seen at once (the copy is dropped on every write); one made through another process within this.
 */
export const RULES_CACHE_MS = 2_000;
// The rule set is small (tens of rows): read it whole and match in code — once per RULES_CACHE_MS,
// not on every message's reply path.
const rulesCache = readCache(() => AutoReply.find({ enabled: true }).sort({ updatedAt: -1 }).lean<AutoReplyDoc[]>().exec(), RULES_CACHE_MS);
const enabledRules = () => rulesCache.get();
const invalidateRules = () => rulesCache.invalidate();

/** Reply to a text message: exact keyword, then the longest contained keyword, then the default. */
export async function replyForText(text: string, selfServiceUrl: string): Promise<string> {
  const rules = await enabledRules();
  const message = normalize(text);
  const exact = rules.find((rule) => rule.trigger === 'exact' && normalize(rule.keyword) === message);
  if (exact) return exact.reply;
  const contains = rules
    .filter((rule) => rule.trigger === 'contains' && rule.keyword && message.includes(normalize(rule.keyword)))
    .sort((a, b) => b.keyword.length - a.keyword.length)[0];
  if (contains) return contains.reply;
  // The built-in default names the menu only when a published one leads to self-service (menu.service.ts).
  const custom = rules.find((rule) => rule.trigger === 'default')?.reply;
  return custom ? custom.replaceAll('{自助服务链接}', selfServiceUrl) : builtInDefaultReply(selfServiceUrl);
}

/** Reply to a menu click, or '' (no reply) when no rule has the key. */
export async function replyForClick(key: string): Promise<string> {
  const rules = await enabledRules();
  return rules.find((rule) => rule.trigger === 'click' && rule.keyword === key)?.reply ?? '';
}

export async function replyForSubscribe(links: SelfServiceLinks | string): Promise<string> {
  const rules = await enabledRules();
  const custom = rules.find((rule) => rule.trigger === 'subscribe')?.reply;
  const url = typeof links === 'string' ? links : links.selfServiceUrl;
  return custom ? custom.replaceAll('{自助服务链接}', url) : builtInWelcome(links);
}

function toItem(doc: AutoReplyDoc): AutoReplyItem {
  return {
    id: String(doc._id),
    trigger: doc.trigger as AutoReplyItem['trigger'],
    keyword: doc.keyword,
    reply: doc.reply,
    enabled: doc.enabled,
    updatedAt: (doc as { updatedAt?: Date }).updatedAt?.toISOString() ?? new Date(0).toISOString(),
  };
}

export async function listAutoReplies(): Promise<AutoReplyItem[]> {
  const docs = await AutoReply.find({}).sort({ trigger: 1, keyword: 1 }).lean<AutoReplyDoc[]>();
  return docs.map(toItem);
}

export async function createAutoReply(input: AutoReplyInput): Promise<AutoReplyItem> {
  const doc = await AutoReply.create(input);
  invalidateRules();
  return toItem(doc.toObject() as AutoReplyDoc);
}

export async function updateAutoReply(id: string, input: AutoReplyInput): Promise<AutoReplyItem> {
  const doc = await AutoReply.findById(id);
  if (!doc) throw notFound('AUTO_REPLY_NOT_FOUND', '自动回复规则不存在');
  doc.set(input);
  await doc.save();
  invalidateRules();
  return toItem(doc.toObject() as AutoReplyDoc);
}

export async function deleteAutoReply(id: string): Promise<void> {
  const result = await AutoReply.deleteOne({ _id: id });
  invalidateRules();
  if (result.deletedCount === 0) throw notFound('AUTO_REPLY_NOT_FOUND', '自动回复规则不存在');
}
