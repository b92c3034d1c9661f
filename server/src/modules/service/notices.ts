// The WeChat messages of the service area: built when the change happens (so they say what was
// true then), sent by the notification jobs.
import { feedbackTypeLabels, type FeedbackType } from '@qiao/shared';
import { customerNames } from '../customers/lookup.service.js';
import { staffByIds } from '../identity/lookup.service.js';
import { webAuthLink } from '../identity/web-auth.service.js';
import { enqueueSubscribeNotice, enqueueTemplateNotice } from '../notifications/notification.jobs.js';
import { characterString, phoneNumber, phrase, thing, time } from '../notifications/template-values.js';
import type { FeedbackDoc } from './feedback.model.js';
import type { ServiceDeps } from './service.context.js';

export type CustomerStatusEvent = 'dispatched' | 'transferred' | 'accepted' | 'completed';
export type EngineerEvent = 'dispatched' | 'transferred' | 'due_soon' | 'overdue';

const STATUS_PHRASES: Record<CustomerStatusEvent, string> = {
  dispatched: '已派工',
  transferred: '已转派',
  accepted: '已接单',
  completed: '已完成',
};

/** The engineer's Official Account fallback (服务进度通知, phrase3). */
const ENGINEER_PHRASES: Record<EngineerEvent, string> = {
  dispatched: '新工单',
  transferred: '转派工单',
  due_soon: '即将到期',
  overdue: '已超时',
};

const ENGINEER_REMARKS: Record<EngineerEvent, string> = {
  dispatched: '您有新的服务工单，请及时接单',
  transferred: '同事转派给您的工单，请及时接单',
  due_soon: '即将到达客户要求的完成时间',
  overdue: '已超过客户要求的完成时间',
};

type NoticeFeedback = Pick<FeedbackDoc, '_id' | 'number' | 'type' | 'description' | 'wechatUserId' | 'customerId' | 'contactPhone' | 'requestedBy'>;

/** The customer's detail page: H5 link for the template message, mini-program page when it can open. */
export const feedbackPage = (id: string) => `pages/feedback/detail?id=${id}`;

function links(deps: ServiceDeps, feedbackId: string) {
  const { publicBaseUrl, mpAppid } = deps.notices;
  // H5 fallback through web authorisation, so the follower lands logged in as themselves.
  return { url: webAuthLink(publicBaseUrl, `/h5/#/${feedbackPage(feedbackId)}`), miniprogram: { appid: mpAppid, pagepath: feedbackPage(feedbackId) } };
}

const subject = (feedback: NoticeFeedback) => thing(`${feedbackTypeLabels[feedback.type as FeedbackType]}：${feedback.description}`);

async function engineerLine(engineerId: string | null | undefined): Promise<string> {
  if (!engineerId) return '';
  const engineer = (await staffByIds([engineerId])).get(engineerId);
  return engineer ? `${engineer.name} ${engineer.phone}`.trim() : '';
}

/** 服务进度通知 to the customer who submitted the request. */
export async function noticeCustomerStatus(
  deps: ServiceDeps,
  feedback: NoticeFeedback,
  event: CustomerStatusEvent,
  engineerId: string | null,
  at: Date,
): Promise<void> {
  const id = String(feedback._id);
  const remark = event === 'completed' ? '服务已完成，欢迎评价' : (await engineerLine(engineerId)) || '我们会尽快为您处理';
  await enqueueTemplateNotice(deps.jobs, deps.logger, {
    wechatUserId: feedback.wechatUserId,
    reason: `feedback.${event}`,
    message: {
      template_id: deps.notices.templates.serviceStatus,
      ...links(deps, id),
      client_msg_id: `${id}-${event}-${at.getTime()}`,
      data: {
        character_string1: { value: characterString(feedback.number) },
        thing2: { value: subject(feedback) },
        phrase3: { value: phrase(STATUS_PHRASES[event]) },
        thing4: { value: thing(remark) },
        time5: { value: time(at) },
      },
    },
  });
}

/** 服务超时提醒 to the customer. */
export async function noticeCustomerOverdue(deps: ServiceDeps, feedback: NoticeFeedback, at: Date): Promise<void> {
  const id = String(feedback._id);
  await enqueueTemplateNotice(deps.jobs, deps.logger, {
    wechatUserId: feedback.wechatUserId,
    reason: 'feedback.overdue',
    message: {
      template_id: deps.notices.templates.serviceOverdue,
      ...links(deps, id),
      client_msg_id: `${id}-overdue`,
      data: {
        character_string1: { value: characterString(feedback.number) },
        thing2: { value: subject(feedback) },
        time3: { value: time(feedback.requestedBy ?? at) },
        thing4: { value: thing('已超过要求完成时间，我们正在加急处理') },
      },
    },
  });
}

/** The engineer's order page in the mini-program. */
export const workOrderPage = (orderId: string, feedbackId: string) => `pages/engineer/order?id=${orderId}&feedbackId=${feedbackId}`;

/**
 * Subscribe message to an engineer: a new order, a transfer to them, a due or overdue reminder —
 * the 5 keywords of the 派工通知 template (WeChat allows at most 5). Without a consent left it goes
 * out as the Official Account's 服务进度通知 instead (notification.jobs.ts).
 */
export async function noticeEngineer(
  deps: ServiceDeps,
  feedback: NoticeFeedback,
  order: { orderId: string; staffId: string },
  event: EngineerEvent,
  at: Date,
): Promise<void> {
  const { orderId, staffId } = order;
  const feedbackId = String(feedback._id);
  const customerName = (await customerNames([feedback.customerId])).get(feedback.customerId);
  const page = workOrderPage(orderId, feedbackId);
  const { publicBaseUrl, mpAppid } = deps.notices;
  await enqueueSubscribeNotice(deps.jobs, deps.logger, {
    id: `${orderId}:${staffId}:${event}:${at.getTime()}`,
    staffId,
    reason: `work-order.${event}`,
    orderId,
    feedbackId,
    message: {
      template_id: deps.notices.templates.mpDispatch,
      page,
      data: {
        character_string1: { value: characterString(feedback.number) },
        thing2: { value: subject(feedback) },
        thing3: { value: thing(customerName ?? '客户') },
        phone_number4: { value: phoneNumber(feedback.contactPhone) },
        time5: { value: time(feedback.requestedBy ?? at) },
      },
    },
    fallback: {
      template_id: deps.notices.templates.serviceStatus,
      url: `${publicBaseUrl}/h5/#/${page}`,
      miniprogram: { appid: mpAppid, pagepath: page },
      client_msg_id: `${orderId}-${event}-${at.getTime()}`,
      data: {
        character_string1: { value: characterString(feedback.number) },
        thing2: { value: subject(feedback) },
        phrase3: { value: phrase(ENGINEER_PHRASES[event]) },
        thing4: { value: thing(ENGINEER_REMARKS[event]) },
        time5: { value: time(feedback.requestedBy ?? at) },
      },
    },
  });
}
