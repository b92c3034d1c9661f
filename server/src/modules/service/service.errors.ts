// Errors of the service area: stable codes for programs, Chinese messages for people.
import type { TransitionResult } from '@qiao/shared';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../errors.js';

export const feedbackNotFound = () => notFound('FEEDBACK_NOT_FOUND', '服务请求不存在');
export const workOrderNotFound = () => notFound('WORK_ORDER_NOT_FOUND', '工单不存在');
export const followUpNotFound = () => notFound('FOLLOW_UP_NOT_FOUND', '回访记录不存在');
export const verificationRequired = () => forbidden('VERIFICATION_REQUIRED', '请先完成身份验证');
export const productNotFound = () => notFound('PRODUCT_NOT_FOUND', '产品档案不存在');
export const requestedByInPast = () => badRequest('REQUESTED_TIME_IN_PAST', '要求完成时间必须晚于当前时间');
export const clientRequestConflict = () => conflict('CLIENT_REQUEST_ID_CONFLICT', '请求编号已被使用，请刷新页面后重新提交');
export const engineerNotAvailable = () => badRequest('ENGINEER_NOT_AVAILABLE', '所选工程师不存在或已停用');
export const alreadyAssigned = () => badRequest('ALREADY_ASSIGNED', '该请求已派给这位工程师');
export const transferToSelf = () => badRequest('TRANSFER_TO_SELF', '不能转派给自己');
export const collaboratorIsAssignee = () => badRequest('COLLABORATOR_IS_ASSIGNEE', '工单负责人不能同时是协作人');
export const assigneeOnly = () => forbidden('WORK_ORDER_ASSIGNEE_ONLY', '只有工单负责人可以执行此操作');
export const visitRequired = () => conflict('VISIT_REQUIRED', '请先记录至少一次处理情况再完工');
export const checkInInFuture = () => badRequest('CHECK_IN_IN_FUTURE', '到场时间不能晚于当前时间');
export const ratingNotAllowed = () => conflict('RATING_NOT_ALLOWED', '服务完成后才能评价');
export const alreadyRated = () => conflict('ALREADY_RATED', '您已评价过该服务');
export const followUpClosed = () => conflict('FOLLOW_UP_CLOSED', '该回访已处理');

/** The state machine's verdict: the new status, or 409 ILLEGAL_TRANSITION with its Chinese message. */
export function allowed<S>(result: TransitionResult<S>): S {
  if (!result.ok) throw new AppError(409, result.code, result.message);
  return result.status;
}
