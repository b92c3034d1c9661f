// An intent (意向) left on a campaign page: a lead with the campaign and the whole share path
// credited, the intents / leads counters bumped along the path, and the marketer and the owning
// salesperson told by an Official Account template message (queued: the answer never waits for WeChat).
import type { IntentCreate } from '@qiao/shared';
import { badRequest, notFound } from '../../errors.js';
import type { JobQueue } from '../../jobs/runner.js';
import type { Logger } from '../../logger.js';
import { weChatRecipientOfStaff } from '../identity/lookup.service.js';
import type { Principal } from '../identity/principal.js';
import { recordCampaignLead } from '../leads/lead.service.js';
import { enqueueTemplateNotice } from '../notifications/notification.jobs.js';
import { phoneNumber, thing, time } from '../notifications/template-values.js';
import { campaignById, isLandable } from './campaign-source.js';
import { increment } from './counters.js';
import { claimShareNode, nodeFacts, spreaderId, spreaderKindOf, type NodeFacts } from './lookup.service.js';
import { namesOf, ownerKeyOf } from './names.js';
import { ShareNode, Spreader, SpreadTotals } from './share-node.model.js';
import { viewerOf } from './tracking.service.js';

export interface IntentDeps {
  jobs: JobQueue;
  logger: Logger;
  /** Official Account template 新线索通知 (WECHAT_TEMPLATE_LEAD_NEW). */
  leadTemplateId: string;
}

/** The path from the root to `node`, root first, every node's facts. */
async function pathTo(node: NodeFacts): Promise<NodeFacts[]> {
  const above = await Promise.all(node.ancestors.map((token) => nodeFacts(token)));
  return [...above.filter((facts): facts is NodeFacts => facts !== null), node];
}

function creditPath(campaignId: string, path: NodeFacts[], newLead: boolean): void {
  const leads = newLead ? 1 : 0;
  const own = path.at(-1)!;
  increment(SpreadTotals, campaignId, { intents: 1, leads });
  increment(ShareNode, own.token, { intents: 1, leads });
  for (const node of path) {
    increment(ShareNode, node.token, { subtreeIntents: 1, subtreeLeads: leads });
    // The people above the submitter brought them: the leaderboard credits them, not the submitter.
    const owner = { kind: node.ownerKind, id: node.ownerId };
    if (node === own || !spreaderKindOf(owner)) continue;
    for (const scope of [campaignId, 'all']) increment(Spreader, spreaderId(scope, owner), { intents: 1, leads });
  }
}

async function notify(staffIds: string[], campaignName: string, input: IntentCreate, at: Date, deps: IntentDeps): Promise<void> {
  for (const staffId of new Set(staffIds)) {
    const user = await weChatRecipientOfStaff(staffId);
    if (!user) continue;
    await enqueueTemplateNotice(deps.jobs, deps.logger, {
      wechatUserId: user.id,
      reason: 'lead.new',
      message: {
        template_id: deps.leadTemplateId,
        data: {
          thing1: { value: thing(campaignName) },
          thing2: { value: thing(input.company ? `${input.name} ${input.company}` : input.name) },
          phone_number3: { value: phoneNumber(input.phone) },
          time4: { value: time(at) },
        },
      },
    });
  }
}

/** POST /campaigns/:id/intents → the lead (created, or the person's earlier one updated). */
export async function submitIntent(campaignId: string, input: IntentCreate, principal: Principal | null, deps: IntentDeps, now = new Date()): Promise<{ leadId: string; created: boolean }> {
  const campaign = await campaignById(campaignId);
  if (!campaign || !isLandable(campaign)) throw notFound('CAMPAIGN_NOT_FOUND', '活动不存在或已结束');
  if (!campaign.intentForm.enabled) throw badRequest('INTENT_FORM_DISABLED', '该活动未开放意向登记');
  const offered = new Set(campaign.intentForm.products);
  const unknown = input.products.filter((product) => !offered.has(product));
  if (unknown.length > 0) throw badRequest('INVALID_PRODUCTS', `产品不在本活动范围内：${unknown.slice(0, 3).join('、')}`);

  const viewer = await viewerOf(principal, input.visitorId);
  // Their own node (made when they opened the page); a submitter never seen lands through `s` now.
  const landedOn = await nodeFacts(input.s);
  const via = landedOn && landedOn.campaignId === campaignId && !(landedOn.ownerKind === viewer.kind && landedOn.ownerId === viewer.id) ? landedOn : null;
  const { token } = await claimShareNode(campaignId, viewer, via);
  const own = await nodeFacts(token);
  if (!own) throw notFound('SHARE_TOKEN_NOT_FOUND', '分享链接无效，请重新打开活动页面');
  const path = await pathTo(own);
  const names = await namesOf(path.map((node) => ({ kind: node.ownerKind, id: node.ownerId })));
  const root = path[0]!;
  const { leadId, created } = await recordCampaignLead({
    campaignId,
    campaignName: campaign.name,
    personKey: ownerKeyOf(viewer),
    shareToken: token,
    sharePath: path.map((node) => ({ token: node.token, kind: node.ownerKind, ownerId: node.ownerId, name: names.get(ownerKeyOf({ kind: node.ownerKind, id: node.ownerId })) ?? '' })),
    name: input.name,
    phone: input.phone,
    company: input.company,
    products: input.products,
    note: input.note,
    ownerId: root.ownerKind === 'staff' ? root.ownerId : null,
  }, now);
  creditPath(campaignId, path, created);
  if (created) await notify([campaign.createdBy, ...(root.ownerKind === 'staff' ? [root.ownerId] : [])], campaign.name, input, now, deps);
  return { leadId, created };
}
