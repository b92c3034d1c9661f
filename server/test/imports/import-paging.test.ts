// 导入记录 paged by key: following `nextCursor` gives the rows of page numbers (ties on the time
// included), within what the viewer may see; a cursor the server did not make is refused.
import mongoose from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/lib/query.js';
import { Import } from '../../src/modules/imports/import.model.js';
import { createStaffMember } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
useTestServer((started) => {
  server = started;
});

const TOTAL = 23;
let sales: { id: string; token: string };
let ids: string[];

beforeAll(async () => {
  sales = await createStaffMember('sales');
  const other = await createStaffMember('sales');
  const base = Date.now() - 3_600_000;
  const docs = Array.from({ length: TOTAL }, (_, i) => ({
    _id: new mongoose.Types.ObjectId(),
    fileName: `历史${i}.xlsx`,
    status: 'done',
    createdBy: sales.id,
    createdByRole: 'sales',
    createdByDepartment: '服务一部',
    // Runs of equal times: the cursor must skip exactly the rows of its time already shown.
    createdAt: new Date(base + Math.floor(i / 4) * 1000),
    updatedAt: new Date(base),
  }));
  // Another salesperson's import, interleaved in time: never on this person's pages.
  await Import.collection.insertMany([...docs, { ...docs[5]!, _id: new mongoose.Types.ObjectId(), createdBy: other.id }]);
  ids = docs
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (String(b._id) < String(a._id) ? -1 : 1))
    .map((doc) => String(doc._id));
});

type Page = { items: Array<{ id: string }>; total: number; nextCursor?: string | null };
const list = async (query: string) => {
  const response = await call<Page>(server.url, `/api/v1/imports?${query}`, { token: sales.token });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
};

describe('导入记录 paging', () => {
  it('following nextCursor gives the rows of page numbers, newest first, once each', async () => {
    const byPage: string[] = [];
    for (let page = 1; page <= 5; page += 1) byPage.push(...(await list(`pageSize=5&page=${page}`)).items.map((item) => item.id));
    expect(byPage).toEqual(ids);
    const byCursor: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await list(`pageSize=5&page=${pages + 1}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.total).toBe(TOTAL);
      byCursor.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(byCursor).toEqual(ids);
    expect(pages).toBe(5);
  });

  it('says where the last page ends: no cursor after it', async () => {
    expect((await list(`pageSize=${TOTAL + 1}`)).nextCursor).toBeNull();
  });

  it('refuses a cursor it did not make, or one of another kind', async () => {
    for (const cursor of [Buffer.from('["x",1,0]').toString('base64url'), encodeCursor({ value: 'FW1', shown: 0 })]) {
      const response = await call(server.url, `/api/v1/imports?cursor=${cursor}`, { token: sales.token });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('CURSOR_INVALID');
    }
  });
});
