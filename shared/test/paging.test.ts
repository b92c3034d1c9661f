// Paging on every list endpoint: `?page=&pageSize=` arrive as strings, have defaults and bounds,
// and every list query built on them stays strict.
import {
  feedbackAdminListQuerySchema,
  feedbackListQuerySchema,
  followUpListQuerySchema,
  pagedSchema,
  pageQuerySchema,
  staffListQuerySchema,
  workOrderListQuerySchema,
} from '@qiao/shared';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const passes = (value: unknown) => pageQuerySchema.safeParse(value).success;

describe('page query', () => {
  it('defaults to the first page of 20', () => {
    expect(pageQuerySchema.parse({})).toEqual({ page: 1, pageSize: 20 });
  });

  it('reads numbers from query strings', () => {
    expect(pageQuerySchema.parse({ page: '3', pageSize: '50' })).toEqual({ page: 3, pageSize: 50 });
    expect(pageQuerySchema.parse({ page: 2 })).toEqual({ page: 2, pageSize: 20 });
  });

  it('keeps page and page size within bounds', () => {
    expect(passes({ page: '1', pageSize: '1' })).toBe(true);
    expect(passes({ pageSize: '100' })).toBe(true);
    expect(passes({ page: '100000' })).toBe(true);
    expect(passes({ pageSize: '101' })).toBe(false);
    expect(passes({ pageSize: '0' })).toBe(false);
    expect(passes({ page: '0' })).toBe(false);
    expect(passes({ page: '-1' })).toBe(false);
    expect(passes({ page: '100001' })).toBe(false);
  });

  it('refuses what is not a whole number, including an empty value', () => {
    for (const page of ['1.5', 'abc', '', '1e400', ['1', '2'], { $gt: 0 }]) expect(passes({ page }), JSON.stringify(page)).toBe(false);
  });

  it('is strict', () => {
    expect(pageQuerySchema.safeParse({ page: '1', limit: '1000' }).success).toBe(false);
    expect(pageQuerySchema.safeParse({ $where: '1' }).success).toBe(false);
  });

  it('every list query starts from the same defaults, with its own', () => {
    expect(staffListQuerySchema.parse({})).toEqual({ page: 1, pageSize: 20 });
    expect(feedbackListQuerySchema.parse({})).toEqual({ page: 1, pageSize: 20 });
    expect(followUpListQuerySchema.parse({ status: 'open' })).toEqual({ page: 1, pageSize: 20, status: 'open' });
    expect(workOrderListQuerySchema.parse({})).toEqual({ page: 1, pageSize: 20, tab: 'pending' });
    expect(feedbackAdminListQuerySchema.parse({ pageSize: '10' })).toEqual({ page: 1, pageSize: 10, sort: '-createdAt' });
    expect(workOrderListQuerySchema.safeParse({ pageSize: '101' }).success).toBe(false);
    expect(feedbackAdminListQuerySchema.safeParse({ sort: 'password' }).success).toBe(false);
  });
});

describe('paged answers', () => {
  const pagedNames = pagedSchema(z.object({ name: z.string() }));

  it('carry items, a total and the page asked for', () => {
    const page = { items: [{ name: '甲' }], total: 41, page: 3, pageSize: 20 };
    expect(pagedNames.parse(page)).toEqual(page);
    expect(pagedNames.parse({ items: [], total: 0, page: 1, pageSize: 20 }).items).toEqual([]);
  });

  it('refuse a negative total, page 0 and items of the wrong shape', () => {
    expect(pagedNames.safeParse({ items: [], total: -1, page: 1, pageSize: 20 }).success).toBe(false);
    expect(pagedNames.safeParse({ items: [], total: 0, page: 0, pageSize: 20 }).success).toBe(false);
    expect(pagedNames.safeParse({ items: [{ name: 1 }], total: 1, page: 1, pageSize: 20 }).success).toBe(false);
  });
});
