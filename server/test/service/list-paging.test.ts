// Key paging of the dispatcher's service request list: following `nextCursor` gives the same rows
// as page numbers (ties on the sort key included), and a text search counts only up to a cap.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildSearchTerms } from '../../src/db/migrations/search-terms.js';
import { COUNT_CAP } from '../../src/lib/query.js';
import { Feedback } from '../../src/modules/service/feedback.model.js';
import { adminToken } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let token: string;
useTestServer((started) => {
  server = started;
});

const REGION = `翻页${randomUUID().slice(0, 6)}`;
const TOTAL = 47;

beforeAll(async () => {
  token = await adminToken(server);
  const base = Date.now() - 86_400_000;
  const docs = Array.from({ length: TOTAL }, (_, i) => ({
    _id: new mongoose.Types.ObjectId(),
    number: `FW20250101-${REGION}-${String(i).padStart(3, '0')}`,
    clientRequestId: randomUUID(),
    wechatUserId: 'paging-user',
    customerId: new mongoose.Types.ObjectId().toString(),
    contactId: new mongoose.Types.ObjectId().toString(),
    type: 'repair',
    status: i % 2 === 0 ? 'submitted' : 'completed',
    description: `翻页测试 ${i}`,
    contactPhone: '13800000000',
    region: REGION,
    productLine: '',
    department: '',
    requestedBy: null,
    // Runs of equal times: the cursor must skip exactly the rows of its time already shown.
    createdAt: new Date(base + Math.floor(i / 7) * 1000),
    updatedAt: new Date(base),
  }));
  await Feedback.collection.insertMany(docs);
  // Written behind the service's back: their search keys are built as the start-up backfill does.
  await rebuildSearchTerms();
});

type Page = { items: Array<{ id: string }>; total: number; nextCursor?: string | null; totalCapped?: boolean };
const list = async (query: string) => {
  const response = await call<Page>(server.url, `/api/v1/feedbacks?region=${encodeURIComponent(REGION)}&${query}`, { token });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
};

describe('key paging', () => {
  for (const sort of ['-createdAt', 'createdAt', 'number', '-number']) {
    it(`following nextCursor gives the rows of page numbers (sort ${sort})`, async () => {
      const byPage: string[] = [];
      for (let page = 1; page <= 5; page += 1) byPage.push(...(await list(`sort=${sort}&pageSize=10&page=${page}`)).items.map((item) => item.id));
      const byCursor: string[] = [];
      let cursor: string | null | undefined;
      let pages = 0;
      do {
        const page = await list(`sort=${sort}&pageSize=10&page=${pages + 1}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.total).toBe(TOTAL);
        byCursor.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(byPage).toHaveLength(TOTAL);
      expect(byCursor).toEqual(byPage);
      expect(pages).toBe(5);
    });
  }

  it('a filter narrows the cursor pages too', async () => {
    const first = await list('status=completed&pageSize=20');
    expect(first.total).toBe(23);
    const second = await list(`status=completed&pageSize=20&page=2&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(3);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((item) => item.id)).size).toBe(23);
  });

  it('a cursor it did not make is refused', async () => {
    const response = await call(server.url, `/api/v1/feedbacks?cursor=${Buffer.from('["x",1,0]').toString('base64url')}`, { token });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('CURSOR_INVALID');
    // A number cursor on a time sort is not one either.
    const numberCursor = (await list('sort=number&pageSize=5')).nextCursor;
    expect((await call(server.url, `/api/v1/feedbacks?sort=-createdAt&cursor=${numberCursor}`, { token })).status).toBe(400);
  });
});

describe('counts of a text search', () => {
  it('are exact under the cap', async () => {
    const page = await list(`q=${encodeURIComponent(`FW20250101-${REGION}-01`)}&pageSize=5`);
    // Numbers …-010 to …-019: ten of them.
    expect(page.total).toBe(10);
    expect(page.totalCapped).toBe(false);
  });

  it('stop at the cap, and say so', async () => {
    const word = `满${randomUUID().slice(0, 6)}`;
    const docs = Array.from({ length: COUNT_CAP + 5 }, (_, i) => ({
      number: `FW20250102-${word}-${i}`,
      clientRequestId: randomUUID(),
      wechatUserId: 'cap-user',
      customerId: 'c',
      contactId: 'k',
      type: 'repair',
      status: 'submitted',
      description: `${word} ${i}`,
      contactPhone: '13800000000',
      department: '',
      createdAt: new Date(),
      updatedAt: new Date(),
    }));
    for (let i = 0; i < docs.length; i += 500) await Feedback.collection.insertMany(docs.slice(i, i + 500));
    await rebuildSearchTerms();
    const response = await call<Page>(server.url, `/api/v1/feedbacks?q=${encodeURIComponent(`FW20250102-${word}`)}&pageSize=5`, { token });
    expect(response.body.total).toBe(COUNT_CAP);
    expect(response.body.totalCapped).toBe(true);
    expect(response.body.items).toHaveLength(5);
  });
});
