// A service-request search that finds more than COUNT_CAP requests several ways (a customer's name
// and a contact's name, some requests found both ways): each page is read from every way (sorted,
// limited) and merged — the first page in every sort, deeper pages by cursor and by number, and
// the capped count are checked against the requests read directly; on a small population the
// rows are those the earlier implementation gave (every match's id, then `_id $in`). A text
// matching more records than a search looks requests up by: search-broad.test.ts.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildSearchTerms } from '../../src/db/migrations/search-terms.js';
import { COUNT_CAP, flatFilter } from '../../src/lib/query.js';
import { Contact } from '../../src/modules/customers/contact.model.js';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { Feedback, type FeedbackDoc } from '../../src/modules/service/feedback.model.js';
import { requestSearchWays } from '../../src/modules/service/feedback.search.js';
import { adminToken } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let token: string;
useTestServer((started) => {
  server = started;
});

const WORD = `鹈鹕${randomUUID().slice(0, 4)}`;
const SMALL = `鸬鹚${randomUUID().slice(0, 4)}`;
const SORTS = { '-createdAt': { createdAt: -1, _id: -1 }, createdAt: { createdAt: 1, _id: 1 }, number: { number: 1, _id: 1 }, '-number': { number: -1, _id: -1 }, requestedBy: { requestedBy: 1, _id: 1 }, '-requestedBy': { requestedBy: -1, _id: -1 } } as const;
type Sort = keyof typeof SORTS;

const people = { customer: '', contact: '', smallCustomer: '', smallContact: '' };
const oid = () => new mongoose.Types.ObjectId();

function request(i: number, customerId: string, contactId: string, prefix: string, base: number) {
  return {
    _id: oid(),
    number: `FW20250401-${prefix}-${String(i).padStart(5, '0')}`,
    clientRequestId: randomUUID(),
    wechatUserId: 'search-paging',
    customerId,
    contactId,
    type: 'repair',
    status: i % 3 === 0 ? 'completed' : 'submitted',
    description: '搜索翻页',
    contactPhone: '13800000000',
    region: '杭州',
    productLine: '',
    department: '',
    // Ties on the time (runs of 3) and on the requested time, some without one (null sorts first).
    requestedBy: i % 4 === 0 ? null : new Date(Date.UTC(2025, 3, 1 + (i % 9))),
    createdAt: new Date(Date.UTC(2025, 3, 1) + Math.floor((i * 7919) % 1400 / 3) * 60_000),
    updatedAt: new Date(),
  };
}

beforeAll(async () => {
  token = await adminToken(server);
  const [customer, other, smallCustomer, smallOther] = [oid(), oid(), oid(), oid()];
  const [contact, otherContact, smallContact] = [oid(), oid(), oid()];
  await Customer.collection.insertMany([
    { _id: customer, code: `SP-${WORD}-1`, name: `${WORD}甲有限公司`, region: '杭州', phone: '', department: '', createdAt: new Date(), updatedAt: new Date() },
    { _id: other, code: `SP-${WORD}-2`, name: '无关客户', region: '杭州', phone: '', department: '', createdAt: new Date(), updatedAt: new Date() },
    { _id: smallCustomer, code: `SP-${SMALL}-1`, name: `${SMALL}客户`, region: '杭州', phone: '', department: '', createdAt: new Date(), updatedAt: new Date() },
    { _id: smallOther, code: `SP-${SMALL}-2`, name: '另一客户', region: '杭州', phone: '', department: '', createdAt: new Date(), updatedAt: new Date() },
  ]);
  await Contact.collection.insertMany([
    { _id: contact, customerId: String(other), name: `${WORD}乙`, phone: '13911110000', department: '', createdAt: new Date(), updatedAt: new Date() },
    { _id: otherContact, customerId: String(customer), name: '无关联系人', phone: '13911110001', department: '', createdAt: new Date(), updatedAt: new Date() },
    { _id: smallContact, customerId: String(smallOther), name: `${SMALL}联系人`, phone: '13911110002', department: '', createdAt: new Date(), updatedAt: new Date() },
  ]);
  Object.assign(people, { customer: String(customer), contact: String(contact), smallCustomer: String(smallCustomer), smallContact: String(smallContact) });
  const base = Date.UTC(2025, 3, 1);
  // 1,000 of the customer (150 of them with the matching contact too: found both ways), 250 of
  // the contact under another customer, 30 found by neither.
  const docs = [
    ...Array.from({ length: 1000 }, (_, i) => request(i, String(customer), String(i < 150 ? contact : otherContact), WORD, base)),
    ...Array.from({ length: 250 }, (_, i) => request(1000 + i, String(other), String(contact), WORD, base)),
    ...Array.from({ length: 30 }, (_, i) => request(1250 + i, String(other), String(otherContact), WORD, base)),
    // The small population: 12 of the customer (4 with its contact), 9 of the contact elsewhere.
    ...Array.from({ length: 12 }, (_, i) => request(i, String(smallCustomer), String(i < 4 ? smallContact : otherContact), SMALL, base)),
    ...Array.from({ length: 9 }, (_, i) => request(100 + i, String(smallOther), String(smallContact), SMALL, base)),
  ];
  for (let i = 0; i < docs.length; i += 500) await Feedback.collection.insertMany(docs.slice(i, i + 500));
  await rebuildSearchTerms();
});

type Page = { items: Array<{ id: string }>; total: number; totalCapped?: boolean; nextCursor?: string | null };
async function list(query: string): Promise<Page> {
  const response = await call<Page>(server.url, `/api/v1/feedbacks?${query}`, { token });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** Every request the broad search should find, read directly in the list's order. */
async function expected(sort: Sort, extra: Record<string, unknown> = {}): Promise<string[]> {
  const docs = await Feedback.find({ $or: [{ customerId: people.customer }, { contactId: people.contact }], ...extra }, { _id: 1 })
    .sort(SORTS[sort])
    .lean<Array<{ _id: unknown }>>();
  return docs.map((doc) => String(doc._id));
}

describe('a search with more matches than the count cap, found several ways', () => {
  it('has 1,250 distinct matches here (the fixture is what the tests assume)', async () => {
    expect(await expected('-createdAt')).toHaveLength(1250);
  });

  for (const sort of Object.keys(SORTS) as Sort[]) {
    it(`gives the right first page sorted by ${sort}, and the capped total`, async () => {
      const page = await list(`q=${encodeURIComponent(WORD)}&sort=${sort}&pageSize=25`);
      expect(page.items.map((item) => item.id)).toEqual((await expected(sort)).slice(0, 25));
      expect(page.total).toBe(COUNT_CAP);
      expect(page.totalCapped).toBe(true);
    });
  }

  for (const sort of ['-createdAt', 'number'] as const) {
    it(`pages deep by cursor and by number alike (sort ${sort}), each request once`, async () => {
      const all = await expected(sort);
      const byCursor: string[] = [];
      let cursor: string | null | undefined;
      for (let page = 1; page <= 8; page += 1) {
        const body = await list(`q=${encodeURIComponent(WORD)}&sort=${sort}&pageSize=100&page=${page}${cursor ? `&cursor=${cursor}` : ''}`);
        byCursor.push(...body.items.map((item) => item.id));
        cursor = body.nextCursor;
        expect(cursor).toBeTruthy();
      }
      expect(byCursor).toEqual(all.slice(0, 800));
      const byNumber = await list(`q=${encodeURIComponent(WORD)}&sort=${sort}&pageSize=100&page=8`);
      expect(byNumber.items.map((item) => item.id)).toEqual(all.slice(700, 800));
      // Nine pages of 100: past the default 30 s on a loaded machine.
    }, 120_000);
  }

  it('counts exactly under the cap, a request found two ways once', async () => {
    // Completed: every third request — 334 of the customer's 1,000 and 83 of the contact's 250
    // elsewhere, of which the 50 found both ways count once.
    const page = await list(`q=${encodeURIComponent(WORD)}&status=completed&pageSize=10`);
    const all = await expected('-createdAt', { status: 'completed' });
    expect(page.total).toBe(all.length);
    expect(page.totalCapped).toBe(false);
    expect(page.items.map((item) => item.id)).toEqual(all.slice(0, 10));
  });
});

/** The earlier implementation: up to COUNT_CAP + 1 ids per way in the list's order, then `_id $in`. */
async function earlier(q: string, sort: Sort, base: Record<string, unknown>, page: number, pageSize: number) {
  const { ways } = await requestSearchWays(q, base);
  const found = await Promise.all(ways.map((way) => Feedback.find(way, { _id: 1 }).sort(SORTS[sort]).limit(COUNT_CAP + 1).lean<Array<{ _id: unknown }>>()));
  const filter = { _id: { $in: [...new Set(found.flat().map((doc) => String(doc._id)))] } };
  const docs = await Feedback.find(filter).sort(SORTS[sort]).skip((page - 1) * pageSize).limit(pageSize).lean<FeedbackDoc[]>();
  return { ids: docs.map((doc) => String(doc._id)), total: await Feedback.countDocuments(filter) };
}

describe('on a small population', () => {
  const queries = () => [SMALL, `${SMALL}客户`, `${SMALL}联系人`, `FW20250401-${SMALL}-0000`, '13911110002'];
  for (const sort of Object.keys(SORTS) as Sort[]) {
    it(`gives the rows and totals of the earlier implementation (sort ${sort})`, async () => {
      for (const q of queries()) {
        for (const [extra, base] of [['', {}], ['&status=submitted', { status: 'submitted' }]] as const) {
          for (const page of [1, 2]) {
            const body = await list(`q=${encodeURIComponent(q)}&sort=${sort}&pageSize=7&page=${page}${extra}`);
            const before = await earlier(q, sort, flatFilter(base), page, 7);
            expect(body.items.map((item) => item.id), `${q} ${extra} page ${page}`).toEqual(before.ids);
            expect(body.total, `${q} ${extra}`).toBe(before.total);
          }
        }
      }
      // The fixture finds something each way (a comparison of empty pages proves nothing).
      expect((await earlier(SMALL, sort, {}, 1, 100)).total).toBe(21);
    });
  }
});
