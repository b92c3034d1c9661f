// A service-request search whose text matches more contacts than a search looks requests up by
// (WAY_CANDIDATES): the list is walked in its own order and each row's contact checked against
// the search keys. Pages (first pages in every sort, cursor pages, pages by number, with a list
// filter, a dispatcher's department) are compared with a brute-force filter of every request;
// the total says 超过 N 条; a text whose many contacts have few requests gives up the walk and
// lists the requests of the first of them, still flagged.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildSearchTerms } from '../../src/db/migrations/search-terms.js';
import { Contact } from '../../src/modules/customers/contact.model.js';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { Feedback } from '../../src/modules/service/feedback.model.js';
import { requestSearchWays, WAY_CANDIDATES } from '../../src/modules/service/feedback.search.js';
import { adminToken, createDispatcher } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let token: string;
let dispatcherToken: string;
useTestServer((started) => {
  server = started;
});

const tag = randomUUID().slice(0, 4);
/** Names WAY_CANDIDATES + 200 contacts, a third of them with a request, and one customer. */
const DENSE = `鸳鸯${tag}`;
/** Names WAY_CANDIDATES + 10 contacts, every 50th with a request: too sparse to walk. */
const SPARSE = `翡翠${tag}`;
const DEPARTMENTS = [`宽搜一部${tag}`, `宽搜二部${tag}`];
const SORTS = { '-createdAt': { createdAt: -1, _id: -1 }, createdAt: { createdAt: 1, _id: 1 }, number: { number: 1, _id: 1 }, '-number': { number: -1, _id: -1 }, requestedBy: { requestedBy: 1, _id: 1 }, '-requestedBy': { requestedBy: -1, _id: -1 } } as const;
type Sort = keyof typeof SORTS;

const oid = () => new mongoose.Types.ObjectId();
const denseContacts: string[] = [];
const sparseContacts: string[] = [];
let denseCustomer = '';
let n = 0;

function request(customerId: string, contactId: string) {
  const i = (n += 1);
  return {
    _id: oid(),
    number: `FW20250501-${tag}-${String((i * 7907) % 100_000).padStart(5, '0')}`,
    clientRequestId: randomUUID(),
    wechatUserId: 'search-broad',
    customerId,
    contactId,
    type: 'repair',
    status: i % 3 === 0 ? 'completed' : 'submitted',
    description: '宽泛搜索',
    contactPhone: '13800000000',
    region: '杭州',
    productLine: '',
    department: DEPARTMENTS[i % 2],
    // Ties on the time (runs of 3) and on the requested time, some without one (null sorts first).
    requestedBy: i % 4 === 0 ? null : new Date(Date.UTC(2025, 4, 1 + (i % 9))),
    createdAt: new Date(Date.UTC(2025, 4, 1) + Math.floor(((i * 7919) % 3000) / 3) * 60_000),
    updatedAt: new Date(),
  };
}

beforeAll(async () => {
  token = await adminToken(server);
  dispatcherToken = (await createDispatcher(DEPARTMENTS[0])).token;
  const [customer, other] = [oid(), oid()];
  denseCustomer = String(customer);
  await Customer.collection.insertMany([
    { _id: customer, code: `SB-${tag}-1`, name: `${DENSE}客户`, region: '杭州', phone: '', department: '', createdAt: new Date(), updatedAt: new Date() },
    { _id: other, code: `SB-${tag}-2`, name: '无关客户', region: '杭州', phone: '', department: '', createdAt: new Date(), updatedAt: new Date() },
  ]);
  const contact = (name: string) => ({ _id: oid(), customerId: String(other), name, phone: '', department: '', createdAt: new Date(), updatedAt: new Date() });
  const dense = Array.from({ length: WAY_CANDIDATES + 200 }, (_, i) => contact(`${DENSE}${i}`));
  const sparse = Array.from({ length: WAY_CANDIDATES + 10 }, (_, i) => contact(`${SPARSE}${i}`));
  const unrelated = contact('无关联系人');
  await Contact.collection.insertMany([...dense, ...sparse, unrelated]);
  denseContacts.push(...dense.map((c) => String(c._id)));
  sparseContacts.push(...sparse.map((c) => String(c._id)));
  const docs = [];
  // Interleaved: a request of a dense contact, of the customer (found by its name), of nobody.
  for (let i = 0; i < dense.length; i += 1) {
    if (i % 3 === 0) docs.push(request(String(other), String(dense[i]!._id)));
    if (i % 3 === 1) docs.push(request(String(other), String(unrelated._id)));
    if (i % 20 === 0) docs.push(request(denseCustomer, i % 40 === 0 ? String(dense[i]!._id) : String(unrelated._id)));
  }
  for (let i = 0; i < sparse.length; i += 50) docs.push(request(String(other), String(sparse[i]!._id)));
  for (let i = 0; i < 400; i += 1) docs.push(request(String(other), String(unrelated._id)));
  for (let i = 0; i < docs.length; i += 500) await Feedback.collection.insertMany(docs.slice(i, i + 500));
  await rebuildSearchTerms();
});

type Page = { items: Array<{ id: string; department?: string }>; total: number; totalCapped?: boolean; nextCursor?: string | null };
async function list(query: string, as = token): Promise<Page> {
  const response = await call<Page>(server.url, `/api/v1/feedbacks?${query}`, { token: as });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** Brute force: every request of a matching contact or customer, read directly in the list's order. */
async function expected(sort: Sort, contacts: string[], extra: Record<string, unknown> = {}): Promise<string[]> {
  const or = [{ contactId: { $in: contacts } }, ...(contacts === denseContacts ? [{ customerId: denseCustomer }] : [])];
  const docs = await Feedback.find({ $or: or, ...extra }, { _id: 1 }).sort(SORTS[sort]).lean<Array<{ _id: unknown }>>();
  return docs.map((doc) => String(doc._id));
}

const ids = (page: Page) => page.items.map((item) => item.id);
/** Several pages and a brute-force read each: slow on a loaded machine. */
const SLOW = 120_000;

describe('a text matching more contacts than an $in carries', () => {
  it('walks the list for the contacts, the customer by its $in (the fixture is what the tests assume)', async () => {
    const search = await requestSearchWays(DENSE, {});
    expect(search.broad).toBe(true);
    expect(search.walked.map((way) => way.field)).toEqual(['contactId']);
    expect(search.ways).toHaveLength(1);
    expect(await expected('-createdAt', denseContacts)).toHaveLength(400 + 60);
  });

  for (const sort of Object.keys(SORTS) as Sort[]) {
    it(`gives the first pages of a brute-force filter sorted by ${sort}, and says 超过 N 条`, async () => {
      const all = await expected(sort, denseContacts);
      const first = await list(`q=${encodeURIComponent(DENSE)}&sort=${sort}&pageSize=20`);
      expect(ids(first)).toEqual(all.slice(0, 20));
      expect(first.totalCapped).toBe(true);
      expect(first.total).toBeGreaterThan(0);
      expect(first.total).toBeLessThanOrEqual(all.length);
      const third = await list(`q=${encodeURIComponent(DENSE)}&sort=${sort}&pageSize=20&page=3`);
      expect(ids(third)).toEqual(all.slice(40, 60));
    }, SLOW);
  }

  for (const sort of ['-createdAt', 'createdAt', 'number', '-number'] as const) {
    it(`pages by cursor as the brute-force filter does (sort ${sort}), each request once`, async () => {
      const all = await expected(sort, denseContacts);
      const byCursor: string[] = [];
      let cursor: string | null | undefined;
      for (let page = 1; page <= 6; page += 1) {
        const body = await list(`q=${encodeURIComponent(DENSE)}&sort=${sort}&pageSize=25&page=${page}${cursor ? `&cursor=${cursor}` : ''}`);
        byCursor.push(...ids(body));
        cursor = body.nextCursor;
        expect(cursor).toBeTruthy();
      }
      expect(byCursor).toEqual(all.slice(0, 150));
    }, SLOW);
  }

  it('keeps the list filter in the query (status)', async () => {
    const all = await expected('-createdAt', denseContacts, { status: 'completed' });
    expect(all.length).toBeGreaterThan(40);
    const body = await list(`q=${encodeURIComponent(DENSE)}&status=completed&pageSize=40`);
    expect(ids(body)).toEqual(all.slice(0, 40));
  });

  it("never shows a dispatcher another department's request", async () => {
    const all = await expected('-createdAt', denseContacts, { department: DEPARTMENTS[0] });
    const everyone = await expected('-createdAt', denseContacts);
    expect(all.length).toBeLessThan(everyone.length);
    const seen: string[] = [];
    let cursor: string | null | undefined;
    for (let page = 1; page <= 4; page += 1) {
      const body = await list(`q=${encodeURIComponent(DENSE)}&pageSize=25&page=${page}${cursor ? `&cursor=${cursor}` : ''}`, dispatcherToken);
      seen.push(...ids(body));
      cursor = body.nextCursor;
    }
    expect(seen).toEqual(all.slice(0, 100));
    const other = await Feedback.countDocuments({ _id: { $in: seen.map((id) => new mongoose.Types.ObjectId(id)) }, department: DEPARTMENTS[1] });
    expect(other).toBe(0);
  }, SLOW);
});

describe('a text matching many contacts with few requests among them', () => {
  it('lists the requests it finds, in order, and says 超过 N 条', async () => {
    const search = await requestSearchWays(SPARSE, {});
    expect(search.walked).toHaveLength(1);
    const all = await expected('-createdAt', sparseContacts);
    expect(all).toHaveLength(Math.ceil(sparseContacts.length / 50));
    const body = await list(`q=${encodeURIComponent(SPARSE)}&pageSize=50`);
    expect(body.totalCapped).toBe(true);
    // Those listed are matches, in the list's order; at most the requests of the last few
    // contacts (past the first WAY_CANDIDATES, beyond the part of the list walked) are missing.
    expect(ids(body)).toEqual(all.filter((id) => ids(body).includes(id)));
    expect(body.items.length).toBeGreaterThanOrEqual(all.length - 1);
    expect(body.total).toBeLessThanOrEqual(all.length);
  }, SLOW);
});
