// Uploads and signed file links on the real server and database, files in a throwaway data dir.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { fileUrl, FILE_LINK_TTL_SECONDS, loadFileSigningKey } from '../../src/modules/files/signing.js';
import { Upload } from '../../src/modules/files/upload.model.js';
import { claimUploads, deleteStaleUploads, detectImageType } from '../../src/modules/files/upload.service.js';
import { call, startTestServer, type TestServer } from '../helpers/server.js';
import { mpSession, staffSession } from '../helpers/factories.js';

let server: TestServer;
let dataDir: string;
let customer: { token: string; userId: string };
let engineer: { token: string; id: string };

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'qiao-uploads-'));
  server = await startTestServer({ QIAO_DATA_DIR: dataDir });
  customer = await mpSession(server);
  engineer = await staffSession(server, 'engineer');
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), Buffer.alloc(200, 7), Buffer.from([0xff, 0xd9])]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 1)]);

interface Part {
  field?: string;
  bytes: Buffer;
  type: string;
  name: string;
}

async function upload(token: string | undefined, ...parts: Part[]) {
  const form = new FormData();
  for (const part of parts) form.append(part.field ?? 'file', new Blob([new Uint8Array(part.bytes)], { type: part.type }), part.name);
  const response = await fetch(`${server.url}/api/v1/uploads`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form,
  });
  return { status: response.status, body: (await response.json()) as any };
}

const jpeg = (bytes = JPEG): Part => ({ bytes, type: 'image/jpeg', name: 'photo.jpg' });

describe('POST /api/v1/uploads', () => {
  it('stores a JPEG from a customer and serves it through its signed URL', async () => {
    const response = await upload(customer.token, jpeg());
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: expect.stringMatching(/^[a-f0-9]{24}$/), url: expect.stringMatching(/^\/api\/v1\/files\/[a-f0-9]{24}\?exp=\d+&sig=[\w-]{43}$/) });
    expect(readFileSync(path.join(dataDir, 'uploads', response.body.id))).toEqual(JPEG);
    const meta = await Upload.findById(response.body.id).lean();
    expect(meta).toMatchObject({ uploader: { kind: 'wechatUser', id: customer.userId }, contentType: 'image/jpeg', size: JPEG.length, attachedTo: null });

    const file = await fetch(`${server.url}${response.body.url}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/jpeg');
    expect(file.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(JPEG);
  });

  it('accepts a PNG from an engineer, whatever type the client declared', async () => {
    const response = await upload(engineer.token, { bytes: PNG, type: 'application/octet-stream', name: 'x.bin' });
    expect(response.status).toBe(200);
    expect((await Upload.findById(response.body.id).lean())?.uploader).toEqual({ kind: 'staff', id: engineer.id });
    const file = await fetch(`${server.url}${response.body.url}`);
    expect(file.headers.get('content-type')).toBe('image/png');
  });

  it('refuses text renamed to .jpg, empty files, oversized files, missing and extra files', async () => {
    const text = await upload(customer.token, { bytes: Buffer.from('hello, not an image'), type: 'image/jpeg', name: 'fake.jpg' });
    expect(text.status).toBe(400);
    expect(text.body.error).toEqual({ code: 'UPLOAD_TYPE_NOT_ALLOWED', message: '只能上传 JPG 或 PNG 格式的图片' });
    const svg = await upload(customer.token, { bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), type: 'image/png', name: 'a.png' });
    expect(svg.body.error.code).toBe('UPLOAD_TYPE_NOT_ALLOWED');
    expect((await upload(customer.token, { bytes: Buffer.alloc(0), type: 'image/jpeg', name: 'empty.jpg' })).status).toBe(400);

    const big = Buffer.concat([JPEG.subarray(0, 4), Buffer.alloc(5 * 1024 * 1024 + 1 - 4)]);
    const tooLarge = await upload(customer.token, jpeg(big));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error).toEqual({ code: 'UPLOAD_TOO_LARGE', message: '图片不能超过 5 MB' });
    const exactly = await upload(customer.token, jpeg(big.subarray(0, 5 * 1024 * 1024)));
    expect(exactly.status).toBe(200);
    // Far larger: cut off while reading (6 MB) or refused by its length without reading (25 MB).
    for (const size of [6, 25]) {
      const huge = await upload(customer.token, jpeg(Buffer.alloc(size * 1024 * 1024, 0xff)));
      expect(huge.status, `${size} MB`).toBe(413);
      expect(huge.body.error.code).toBe('UPLOAD_TOO_LARGE');
    }

    const wrongField = await upload(customer.token, { ...jpeg(), field: 'photo' });
    expect(wrongField.body.error.code).toBe('UPLOAD_FILE_MISSING');
    const two = await upload(customer.token, jpeg(), jpeg());
    expect(two.body.error.code).toBe('UPLOAD_TOO_MANY_FILES');
    const json = await call(server.url, '/api/v1/uploads', { token: customer.token, body: { file: 'x' } });
    expect(json.status).toBe(400);
    expect(json.body.error.code).toBe('UPLOAD_FILE_MISSING');
  });

  it('is for customers and engineers only', async () => {
    expect((await upload(undefined, jpeg())).status).toBe(401);
    const sales = await staffSession(server, 'sales');
    const refused = await upload(sales.token, jpeg());
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
  });
});

describe('signed file links', () => {
  let id: string;
  let url: URL;
  beforeAll(async () => {
    const response = await upload(customer.token, jpeg());
    id = response.body.id;
    url = new URL(response.body.url, server.url);
  });

  const status = async (target: URL | string) => {
    const response = await fetch(target);
    const body = (await response.json().catch(() => null)) as { error?: { code: string } } | null;
    return { status: response.status, code: body?.error?.code };
  };

  it('refuses a tampered signature, expiry or id with 403 FILE_LINK_INVALID', async () => {
    expect((await fetch(url)).status).toBe(200);
    const sig = url.searchParams.get('sig')!;
    const exp = Number(url.searchParams.get('exp'));

    const badSig = new URL(url);
    badSig.searchParams.set('sig', `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`);
    expect(await status(badSig)).toEqual({ status: 403, code: 'FILE_LINK_INVALID' });

    const longer = new URL(url);
    longer.searchParams.set('exp', String(exp + 86_400));
    expect(await status(longer)).toEqual({ status: 403, code: 'FILE_LINK_INVALID' });

    const other = new mongoose.Types.ObjectId().toHexString();
    expect(await status(`${server.url}/api/v1/files/${other}${url.search}`)).toEqual({ status: 403, code: 'FILE_LINK_INVALID' });
    expect(await status(`${server.url}/api/v1/files/${id}`)).toEqual({ status: 403, code: 'FILE_LINK_INVALID' });
    expect(await status(`${server.url}/api/v1/files/${id}?exp=${exp}&sig=${sig}&sig=${sig}`)).toEqual({ status: 403, code: 'FILE_LINK_INVALID' });
    expect(await status(`${server.url}/api/v1/files/not-an-id${url.search}`)).toEqual({ status: 403, code: 'FILE_LINK_INVALID' });
  });

  it('expires after an hour', async () => {
    const old = fileUrl(id, new Date(Date.now() - FILE_LINK_TTL_SECONDS * 1000 - 1000));
    expect(await status(`${server.url}${old}`)).toEqual({ status: 403, code: 'FILE_LINK_INVALID' });
    const recent = fileUrl(id, new Date(Date.now() - FILE_LINK_TTL_SECONDS * 1000 + 60_000));
    expect((await fetch(`${server.url}${recent}`)).status).toBe(200);
  });

  it('keeps one signing key in the database, shared by every process', async () => {
    const settings = mongoose.connection.collection<{ _id: string; value?: string }>('settings');
    const before = await settings.findOne({ _id: 'file-signing-key' });
    expect(before?.value).toMatch(/^[\w-]{43}$/);
    await loadFileSigningKey();
    expect((await settings.findOne({ _id: 'file-signing-key' }))?.value).toBe(before?.value);
    expect((await fetch(url)).status).toBe(200);
  });
});

describe('claimUploads', () => {
  const mine = () => ({ kind: 'wechatUser' as const, id: customer.userId });
  const newUpload = async (token = customer.token) => (await upload(token, jpeg())).body.id as string;
  const invalid = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400, code: 'UPLOAD_INVALID' });
  };

  it('attaches the uploader\'s own unattached uploads; again for the same target is a no-op', async () => {
    const ids = [await newUpload(), await newUpload()];
    const target = { kind: 'feedback' as const, id: new mongoose.Types.ObjectId().toHexString() };
    await claimUploads(ids, mine(), target);
    for (const id of ids) expect((await Upload.findById(id).lean())?.attachedTo).toEqual(target);
    await claimUploads([...ids, ids[0]!], mine(), target);
    await invalid(claimUploads(ids, mine(), { kind: 'feedback', id: new mongoose.Types.ObjectId().toHexString() }));
    await claimUploads([], mine(), target);
  });

  it('refuses unknown ids, other people\'s uploads, and attaches nothing when one is bad', async () => {
    const own = await newUpload();
    const engineers = await newUpload(engineer.token);
    const target = { kind: 'visit' as const, id: 'visit-1' };
    await invalid(claimUploads([own, engineers], mine(), target));
    expect((await Upload.findById(own).lean())?.attachedTo).toBeNull();
    await invalid(claimUploads([new mongoose.Types.ObjectId().toHexString()], mine(), target));
    await invalid(claimUploads(['nonsense'], mine(), target));
    await invalid(claimUploads([own], { kind: 'staff', id: customer.userId }, target));
    await claimUploads([engineers], { kind: 'staff', id: engineer.id }, target);
  });

  it('the cleanup deletes unattached uploads older than a day, files included', async () => {
    const loose = await newUpload();
    const kept = await newUpload();
    await claimUploads([kept], mine(), { kind: 'feedback', id: 'f-1' });
    expect(await deleteStaleUploads({ dataDir })).toBe(0);
    await deleteStaleUploads({ dataDir }, new Date(Date.now() + 2 * 86_400_000));
    expect(await Upload.findById(loose).lean()).toBeNull();
    expect(existsSync(path.join(dataDir, 'uploads', loose))).toBe(false);
    expect(await Upload.findById(kept).lean()).not.toBeNull();
    expect(existsSync(path.join(dataDir, 'uploads', kept))).toBe(true);
    expect(detectImageType(Buffer.from([0xff, 0xd8]))).toBeNull();
  });
});
