// The request list's filters, paging and sorting live in the URL (?status=…&page=2&sort=-number),
// so reload, back and shared links show the same list.
import { feedbackAdminListQuerySchema, type FeedbackAdminListQuery } from '@qiao/shared';

export const FILTER_KEYS = ['status', 'type', 'engineerId', 'region', 'productLine', 'overdue', 'from', 'to', 'q'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
// `cursor`: where the page after the previous one starts (key paging; see the list page).
const ALL_KEYS = [...FILTER_KEYS, 'page', 'pageSize', 'sort', 'cursor'] as const;
export const DEFAULT_SORT: FeedbackAdminListQuery['sort'] = '-createdAt';

/** The list query in the URL; values the schema refuses (edited by hand) are dropped. */
export function readListQuery(search: URLSearchParams): FeedbackAdminListQuery {
  const raw: Record<string, string> = {};
  for (const key of ALL_KEYS) {
    const value = search.get(key);
    if (value) raw[key] = value;
  }
  for (let attempt = 0; attempt <= ALL_KEYS.length; attempt += 1) {
    const parsed = feedbackAdminListQuerySchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      const [key] = issue.path;
      if (typeof key === 'string') delete raw[key];
    }
  }
  return feedbackAdminListQuerySchema.parse({});
}

/** URL search params for a list query, leaving out defaults so links stay short. */
export function writeListQuery(query: FeedbackAdminListQuery): URLSearchParams {
  const search = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = query[key];
    if (value) search.set(key, value);
  }
  if (query.page > 1) search.set('page', String(query.page));
  if (query.pageSize !== 20) search.set('pageSize', String(query.pageSize));
  if (query.sort !== DEFAULT_SORT) search.set('sort', query.sort);
  if (query.cursor && query.page > 1) search.set('cursor', query.cursor);
  return search;
}

export function hasFilters(query: FeedbackAdminListQuery): boolean {
  return FILTER_KEYS.some((key) => Boolean(query[key]));
}
