// The cap of 50 unattached uploads per person holds under real parallel multipart requests; an
// attach cut off by a crash is finished, not lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { takeOnce } from '../../src/lib/once.js';
import { Upload } from '../../src/modules/files/upload.model.js';
import { claimUploads, deleteStaleUploads, UPLOAD_RULES } from '../../src/modules/files/upload.service.js';
import { mpSession } from '../helpers/factories.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'qiao-upload-cap-'));
  server = await startTestServer({ QIAO_DATA_DIR: dataDir });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7), Buffer.from([0xff, 0xd9])]);

async function upload(token: string): Promise<{ status: number; id?: string; code?: string }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(JPEG)], { type: 'image/jpeg' }), 'photo.jpg');
  const response = await fetch(`${server.url}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await response.json()) as { id?: string; error?: { code: string } };
  return { status: response.status, id: body.id, code: body.error?.code };
}

const parallel = (token: string, count: number) => Promise.all(Array.from({ length: count }, () => upload(token)));
const pendingOf = (userId: string) => Upload.countDocuments({ 'uploader.id': userId, attachedTo: null });

it('70 parallel uploads: exactly 50 are accepted, the rest get 429 UPLOAD_LIMIT_REACHED', { timeout: 60_000 }, async () => {
  expect(UPLOAD_RULES.maxPendingPerUploader).toBe(50);
  const customer = await mpSession(server);
  const results = await parallel(customer.token, 70);
  expect(results.filter((r) => r.status === 200)).toHaveLength(50);
  const refused = results.filter((r) => r.status !== 200);
  expect(refused).toHaveLength(20);
  for (const r of refused) expect(r).toMatchObject({ status: 429, code: 'UPLOAD_LIMIT_REACHED' });
  expect(await pendingOf(customer.userId)).toBe(50);

  // Attaching frees slots: exactly as many new uploads fit again.
  const attached = results.filter((r) => r.id).slice(0, 3).map((r) => r.id!);
  await claimUploads(attached, { kind: 'wechatUser', id: customer.userId }, { kind: 'feedback', id: new mongoose.Types.ObjectId().toHexString() });
  const again = await parallel(customer.token, 5);
  expect(again.filter((r) => r.status === 200)).toHaveLength(3);
  expect(await pendingOf(customer.userId)).toBe(50);
});

it('ten parallel uploads when 45 are pending: exactly 5 are accepted', { timeout: 60_000 }, async () => {
  const customer = await mpSession(server);
  for (let batch = 0; batch < 3; batch += 1) {
    expect((await parallel(customer.token, 15)).every((r) => r.status === 200)).toBe(true);
  }
  expect(await pendingOf(customer.userId)).toBe(45);
  const results = await parallel(customer.token, 10);
  expect(results.filter((r) => r.status === 200)).toHaveLength(5);
  expect(results.filter((r) => r.status === 429)).toHaveLength(5);
  expect(await pendingOf(customer.userId)).toBe(50);

  // The cleanup frees the slots of the uploads it deletes.
  await deleteStaleUploads({ dataDir }, new Date(Date.now() + 2 * 86_400_000));
  expect(await pendingOf(customer.userId)).toBe(0);
  expect((await parallel(customer.token, 3)).every((r) => r.status === 200)).toBe(true);
});

it('an attach cut off after its claim: the same target finishes it, another is refused, the cleanup keeps it', { timeout: 30_000 }, async () => {
  const customer = await mpSession(server);
  const [a, b] = [(await upload(customer.token)).id!, (await upload(customer.token)).id!];
  const uploader = { kind: 'wechatUser' as const, id: customer.userId };
  const target = { kind: 'feedback' as const, id: new mongoose.Types.ObjectId().toHexString() };
  // What a process killed between claiming and writing leaves behind.
  for (const id of [a, b]) expect(await takeOnce(`upload-attach:${id}`, { keepMs: 3600_000, data: { ...target } })).toBe(true);

  await expect(claimUploads([a], uploader, { kind: 'feedback', id: new mongoose.Types.ObjectId().toHexString() })).rejects.toMatchObject({ code: 'UPLOAD_INVALID' });
  await claimUploads([a], uploader, target);
  expect((await Upload.findById(a).lean())?.attachedTo).toEqual(target);

  await deleteStaleUploads({ dataDir }, new Date(Date.now() + 2 * 86_400_000));
  expect((await Upload.findById(b).lean())?.attachedTo).toEqual(target);
  expect(await pendingOf(customer.userId)).toBe(0);
});
