// Submitting a service request: who may, what is checked, what the request copies, the number,
// and that a resubmit (or two at once) creates it once.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Upload } from '../../src/modules/files/upload.model.js';
import { Feedback } from '../../src/modules/service/feedback.model.js';
import { chinaDay } from '../../src/modules/service/feedback.service.js';
import { createContact, createCustomer, createProduct, createUpload, customerSession, verifiedCustomerSession } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { feedbackInput } from './scenario.js';

let server: TestServer;
useTestServer((started) => {
  server = started;
});

const submit = (token: string, body: unknown) => call(server.url, '/api/v1/feedbacks', { token, body });

describe('POST /feedbacks', () => {
  it('creates the request with a number, copying region, product line, department and address', async () => {
    const customer = await createCustomer({ region: '宁波', department: '服务二部', address: '宁波市海曙区 8 号' });
    const contact = await createContact(customer, { name: '周女士' });
    const product = await createProduct(customer, { productLine: '热水器', address: '宁波市鄞州区 9 号' });
    const { token, wechatUserId } = await verifiedCustomerSession({ customer, contact });
    const requestedBy = new Date(Date.now() + 3 * 24 * 3600_000).toISOString();
    const photo = await createUpload({ kind: 'wechatUser', id: wechatUserId });

    const response = await submit(token, feedbackInput({ productArchiveId: String(product._id), requestedBy, photoIds: [photo] }));
    expect(response.status).toBe(201);
    const detail = response.body;
    expect(detail.number).toMatch(new RegExp(`^FW${chinaDay(new Date())}-\\d{4}$`));
    expect(detail).toMatchObject({
      status: 'submitted',
      type: 'repair',
      region: '宁波',
      productLine: '热水器',
      address: '宁波市鄞州区 9 号',
      requestedBy,
      overdue: false,
      customer: { id: String(customer._id), name: customer.name },
      contact: { id: String(contact._id), name: '周女士' },
      product: { id: String(product._id), productLine: '热水器' },
      engineer: null,
      workOrder: null,
      canRate: false,
      rating: null,
    });
    expect(detail.timeline).toEqual([expect.objectContaining({ kind: 'submitted', text: '已提交服务请求' })]);
    expect(detail.photos).toEqual([{ id: photo, url: expect.stringMatching(new RegExp(`^/api/v1/files/${photo}\\?exp=\\d+&sig=`)) }]);

    const stored = await Feedback.findById(detail.id).lean();
    expect(stored).toMatchObject({ department: '服务二部', customerId: String(customer._id), contactId: String(contact._id), wechatUserId, version: 0 });
    expect((await Upload.findById(photo).lean())?.attachedTo).toEqual({ kind: 'feedback', id: detail.id });
  });

  it('numbers count per China day', async () => {
    expect(chinaDay(new Date('2026-11-21T16:30:00Z'))).toBe('20261122');
    expect(chinaDay(new Date('2026-11-21T15:59:59Z'))).toBe('20261121');
    const { token } = await verifiedCustomerSession();
    const first = await submit(token, feedbackInput());
    const second = await submit(token, feedbackInput());
    const n = (number: string) => Number(number.split('-')[1]);
    expect(n(second.body.number)).toBe(n(first.body.number) + 1);
  });

  it("defaults the address to the customer's without a product", async () => {
    const customer = await createCustomer({ address: '杭州市上城区 3 号' });
    const { token } = await verifiedCustomerSession({ customer });
    const response = await submit(token, feedbackInput({ type: 'complaint' }));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ address: '杭州市上城区 3 号', product: null, productLine: '' });
  });

  it('the same clientRequestId again answers 200 with the same request', async () => {
    const { token } = await verifiedCustomerSession();
    const input = feedbackInput();
    const first = await submit(token, input);
    const again = await submit(token, input);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.number).toBe(first.body.number);
    expect(await Feedback.countDocuments({ clientRequestId: input.clientRequestId })).toBe(1);
  });

  it('submitting the same request five times at once creates it once', async () => {
    const { token, wechatUserId } = await verifiedCustomerSession();
    const photo = await createUpload({ kind: 'wechatUser', id: wechatUserId });
    const input = feedbackInput({ photoIds: [photo] });
    const answers = await Promise.all(Array.from({ length: 5 }, () => submit(token, input)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await Feedback.countDocuments({ clientRequestId: input.clientRequestId })).toBe(1);
  });

  it('different requests submitted at once get different numbers', async () => {
    const { token } = await verifiedCustomerSession();
    const answers = await Promise.all(Array.from({ length: 4 }, () => submit(token, feedbackInput())));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.number)).size).toBe(4);
  });

  it("another customer's clientRequestId is refused", async () => {
    const input = feedbackInput();
    expect((await submit((await verifiedCustomerSession()).token, input)).status).toBe(201);
    const stranger = await submit((await verifiedCustomerSession()).token, input);
    expect(stranger.status).toBe(409);
    expect(stranger.body.error.code).toBe('CLIENT_REQUEST_ID_CONFLICT');
  });

  it('refuses unverified customers, foreign products, past times, foreign photos and bad input', async () => {
    const unverified = await customerSession({ verified: false });
    const refused = await submit(unverified.token, feedbackInput());
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({ code: 'VERIFICATION_REQUIRED', message: '请先完成身份验证' });

    const { token } = await verifiedCustomerSession();
    const foreignProduct = await createProduct(await createCustomer());
    const notMine = await submit(token, feedbackInput({ productArchiveId: String(foreignProduct._id) }));
    expect(notMine.status).toBe(404);
    expect(notMine.body.error.code).toBe('PRODUCT_NOT_FOUND');

    const past = await submit(token, feedbackInput({ requestedBy: new Date(Date.now() - 60_000).toISOString() }));
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe('REQUESTED_TIME_IN_PAST');

    const foreignPhoto = await createUpload({ kind: 'wechatUser', id: randomUUID() });
    const photo = await submit(token, feedbackInput({ photoIds: [foreignPhoto] }));
    expect(photo.status).toBe(400);
    expect(photo.body.error.code).toBe('UPLOAD_INVALID');

    const tooMany = await submit(token, feedbackInput({ photoIds: Array.from({ length: 10 }, () => '0123456789abcdef01234567') }));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details.photoIds).toBe('最多上传 9 张照片');
    const injection = await submit(token, { ...feedbackInput(), description: { $gt: '' } });
    expect(injection.status).toBe(400);
    const extra = await submit(token, { ...feedbackInput(), status: 'completed' });
    expect(extra.status).toBe(400);
  });
});

describe('GET /feedbacks (customer)', () => {
  it('lists only their own requests, newest first, with the status filter and paging', async () => {
    const me = await verifiedCustomerSession();
    const someoneElse = await verifiedCustomerSession();
    await submit(someoneElse.token, feedbackInput());
    const mine = [];
    for (let i = 0; i < 3; i += 1) mine.push((await submit(me.token, feedbackInput({ description: `问题 ${i}` }))).body.id);
    const list = await call(server.url, '/api/v1/feedbacks?pageSize=2', { token: me.token });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(3);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([mine[2], mine[1]]);
    const completed = await call(server.url, '/api/v1/feedbacks?status=completed', { token: me.token });
    expect(completed.body).toEqual({ items: [], total: 0, page: 1, pageSize: 20, nextCursor: null });
    // Dispatcher filters are not for customers.
    expect((await call(server.url, '/api/v1/feedbacks?type=repair', { token: me.token })).status).toBe(400);
  });
});
