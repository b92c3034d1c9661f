// Follow-up records (跟进记录) and the customer 360 view (客户360视图) that shows them.
import {
  customer360Schema,
  followRecordSchema,
  followRecordPageSchema,
  type Customer360,
  type FollowRecordInput,
  type FollowRecordPage,
  type FollowRecordView,
} from '@qiao/shared';
import { apiRequest, withQuery } from './client';

export interface FollowRecordParams {
  leadId?: string;
  customerId?: string;
  /** Due by the end of today (the workbench). */
  due?: boolean;
  mine?: boolean;
  page?: number;
  pageSize?: number;
  /** The previous page's `nextCursor` (with `page` = its page + 1). */
  cursor?: string;
}

export function listFollowRecords(params: FollowRecordParams, signal?: AbortSignal): Promise<FollowRecordPage> {
  const { due, mine, ...rest } = params;
  return apiRequest(withQuery('/follow-records', { ...rest, due: due ? 1 : undefined, mine: mine ? 1 : undefined }), {
    schema: followRecordPageSchema,
    signal,
  });
}

export function createFollowRecord(body: FollowRecordInput): Promise<FollowRecordView> {
  return apiRequest('/follow-records', { method: 'POST', body, schema: followRecordSchema });
}

/** `GET /customers/:id`: the customer with every section of the 360 view. */
export function getCustomer360(id: string, signal?: AbortSignal): Promise<Customer360> {
  return apiRequest(`/customers/${encodeURIComponent(id)}`, { schema: customer360Schema, signal });
}
