// "Only once" under real parallel HTTP requests: one invite code binds one WeChat user, one upload
// is attached to one request.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLAIM_CLEANUP_JOB, takeOnce } from '../../src/lib/once.js';
import { Staff } from '../../src/modules/identity/staff.model.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { Upload } from '../../src/modules/files/upload.model.js';
import { Feedback } from '../../src/modules/service/feedback.model.js';
import { adminToken, createEngineer, mpSession, verifiedCustomerSession } from '../helpers/factories.js';
import { call, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let dataDir: string;
let admin: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'qiao-once-'));
  server = await startTestServer({ QIAO_DATA_DIR: dataDir });
  admin = await adminToken(server);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('ten parallel binds of one invite code: exactly one succeeds (five codes in a row)', { timeout: 60_000 }, async () => {
  for (let round = 0; round < 5; round += 1) {
    const staffId = (await createEngineer({ name: '并发工程师' })).id;
    const issued = await call(server.url, `/api/v1/staff/${staffId}/invite-code`, { token: admin, method: 'POST' });
    expect(issued.status).toBe(201);
    const users = await Promise.all(Array.from({ length: 10 }, () => mpSession(server)));

    const results = await Promise.all(users.map((user) => call(server.url, '/api/v1/me/staff-binding', { token: user.token, body: { inviteCode: issued.body.code } })));
    const winners = results.flatMap((result, i) => (result.status === 200 ? [users[i]!] : []));
    expect(winners, `round ${round}`).toHaveLength(1);
    for (const result of results.filter((r) => r.status !== 200)) expect(result.body.error.code).toBe('INVITE_CODE_USED');
    expect((await Staff.findById(staffId).lean())?.wechatUserId).toBe(winners[0]!.userId);
    expect(await WeChatUser.countDocuments({ staffId })).toBe(1);
  }
});

it('a binding cut off after its claim: another user is refused, the same user\'s retry finishes it', { timeout: 30_000 }, async () => {
  const staffId = (await createEngineer({ name: '中断工程师' })).id;
  const code = (await call(server.url, `/api/v1/staff/${staffId}/invite-code`, { token: admin, method: 'POST' })).body.code as string;
  const [first, other] = [await mpSession(server), await mpSession(server)];
  // What a process killed right after claiming the code leaves behind.
  expect(await takeOnce(`invite:${code}`, { keepMs: 3600_000, data: { wechatUserId: first.userId } })).toBe(true);
  const bind = (token: string) => call(server.url, '/api/v1/me/staff-binding', { token, body: { inviteCode: code } });

  expect((await bind(other.token)).body.error.code).toBe('INVITE_CODE_USED');
  expect((await bind(first.token)).status).toBe(200);
  expect((await Staff.findById(staffId).lean())?.wechatUserId).toBe(first.userId);
  expect((await bind(first.token)).body.error.code).toBe('INVITE_CODE_USED');
});

it('one upload submitted with two service requests at once: attached to exactly one', { timeout: 60_000 }, async () => {
  const customer = await verifiedCustomerSession();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9])], { type: 'image/jpeg' }), 'a.jpg');
  const uploaded = await fetch(`${server.url}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${customer.token}` }, body: form });
  const photoId = ((await uploaded.json()) as { id: string }).id;

  const submit = () =>
    call(server.url, '/api/v1/feedbacks', {
      token: customer.token,
      body: { clientRequestId: randomUUID(), type: 'repair', productArchiveId: null, description: '同一张照片提交两次', photoIds: [photoId], contactPhone: '13800138000', address: '', requestedBy: null },
    });
  const results = await Promise.all([submit(), submit(), submit(), submit()]);
  expect(results.filter((r) => r.status === 201)).toHaveLength(1);
  for (const result of results.filter((r) => r.status !== 201)) expect(result.body.error.code).toBe('UPLOAD_INVALID');

  const winner = results.find((r) => r.status === 201)!.body.id as string;
  expect((await Upload.findById(photoId).lean())?.attachedTo).toEqual({ kind: 'feedback', id: winner });
  expect(await Feedback.countDocuments({ wechatUserId: customer.wechatUserId })).toBe(1);
});

it('claims are cleaned up by a recurring job (FerretDB has no TTL indexes)', async () => {
  const jobs = mongoose.connection.collection('jobs');
  expect(await jobs.countDocuments({ name: CLAIM_CLEANUP_JOB })).toBe(1);
});
