// Small query helpers shared by the list endpoints: safe `$regex` search and paging.
import type { Paged } from '@qiao/shared';

/** Escape regex metacharacters so user text is matched literally (Go regex on FerretDB, JS on MongoDB). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** `{$or: [{field: /q/i}, …]}` for a trimmed, non-empty `q`; `{}` otherwise. */
export function searchFilter(q: string | undefined, fields: readonly string[]): Record<string, unknown> {
  const text = q?.trim();
  if (!text) return {};
  const pattern = escapeRegex(text);
  return { $or: fields.map((field) => ({ [field]: { $regex: pattern, $options: 'i' } })) };
}

export interface PageRequest {
  page: number;
  pageSize: number;
}

export const skipOf = ({ page, pageSize }: PageRequest) => (page - 1) * pageSize;

export function paged<T>(items: T[], total: number, { page, pageSize }: PageRequest): Paged<T> {
  return { items, total, page, pageSize };
}
