// Fuzz: random and mutated multipart bodies to POST /api/v1/uploads — truncated parts, bad
// boundaries, missing or huge part headers, two files, empty files, aborted connections. One such
// request used to take the whole process down (an unlistened stream 'error').
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Upload } from '../../src/modules/files/upload.model.js';
import { adminToken, mpSession, staffSession } from '../helpers/factories.js';
import { call, startTestServer, type TestServer } from '../helpers/server.js';
import { rawRequest, rng, runBatches, SEED, type Rng } from './fuzz.js';

let server: TestServer;
let dataDir: string;
let tokens: string[];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'qiao-fuzz-uploads-'));
  server = await startTestServer({ QIAO_DATA_DIR: dataDir });
  tokens = [(await mpSession(server)).token, (await staffSession(server, 'engineer')).token, await adminToken(server)];
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), Buffer.alloc(300, 7), Buffer.from([0xff, 0xd9])]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 1)]);

interface Part {
  headers: string[];
  bytes: Buffer;
}

const filePart = (bytes: Buffer, field = 'file', name = 'photo.jpg', type = 'image/jpeg'): Part => ({
  headers: [`Content-Disposition: form-data; name="${field}"; filename="${name}"`, `Content-Type: ${type}`],
  bytes,
});

function multipart(boundary: string, parts: Part[], eol = '\r\n', close = true): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) chunks.push(Buffer.from(`--${boundary}${eol}${part.headers.join(eol)}${eol}${eol}`), part.bytes, Buffer.from(eol));
  if (close) chunks.push(Buffer.from(`--${boundary}--${eol}`));
  return Buffer.concat(chunks);
}

/** One hostile upload: its content type and body. */
function hostileUpload(r: Rng): { name: string; type: string; body: Buffer } {
  const boundary = r.pick(['qiaoFuzzBoundary', '----x', 'a'.repeat(70), 'b"; x=1', 'é-latin1']);
  const image = r.pick([JPEG, PNG, Buffer.from('GIF89a'), Buffer.from('<svg onload=alert(1)>'), Buffer.alloc(0)]);
  const valid = multipart(boundary, [filePart(image)]);
  const type = `multipart/form-data; boundary=${boundary}`;
  switch (r.int(14)) {
    case 0:
      return { name: 'truncated part', type, body: valid.subarray(0, 1 + r.int(valid.length - 2)) };
    case 1:
      return { name: 'truncated in the headers', type, body: valid.subarray(0, 20 + r.int(60)) };
    case 2:
      return { name: 'no closing boundary', type, body: multipart(boundary, [filePart(image)], '\r\n', false) };
    case 3:
      return { name: 'other boundary in the body', type: 'multipart/form-data; boundary=declared', body: valid };
    case 4:
      return { name: 'no boundary', type: 'multipart/form-data', body: valid };
    case 5:
      return { name: 'missing part headers', type, body: multipart(boundary, [{ headers: [], bytes: image }]) };
    case 6:
      return { name: 'huge part header', type, body: multipart(boundary, [{ headers: [`Content-Disposition: form-data; name="file"; filename="${'x'.repeat(100_000)}"`], bytes: image }]) };
    case 7:
      return { name: 'two files', type, body: multipart(boundary, [filePart(JPEG), filePart(PNG, 'file', 'b.png', 'image/png')]) };
    case 8:
      return { name: 'zero-length file', type, body: multipart(boundary, [filePart(Buffer.alloc(0))]) };
    case 9:
      return { name: 'other field only', type, body: multipart(boundary, [filePart(image, 'photo'), { headers: ['Content-Disposition: form-data; name="x"'], bytes: Buffer.from('y') }]) };
    case 10:
      return { name: 'LF line endings', type, body: multipart(boundary, [filePart(image)], '\n') };
    case 11:
      return { name: 'many parts', type, body: multipart(boundary, Array.from({ length: 40 }, (_, i) => ({ headers: [`Content-Disposition: form-data; name="f${i}"`], bytes: Buffer.from('v') }))) };
    case 12:
      return { name: 'random bytes', type, body: Buffer.from(Array.from({ length: r.int(2000) }, () => r.int(256))) };
    default:
      return { name: 'hostile filename', type, body: multipart(boundary, [filePart(image, 'file', r.pick(['../../etc/passwd', '\u0000.jpg', '"; name="x', '%00']), r.pick(['image/jpeg', 'text/html', '']))]) };
  }
}

/** A request whose connection dies mid-body: the server must notice and carry on. */
function abortedUpload(url: string, token: string, body: Buffer): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST /api/v1/uploads HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n` +
          `Content-Type: multipart/form-data; boundary=qiaoFuzzBoundary\r\nContent-Length: ${body.length * 2}\r\n\r\n`,
      );
      socket.write(body, () => setTimeout(() => socket.destroy(), 20));
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve());
  });
}

describe(`uploads fuzz (seed ${SEED})`, () => {
  it('answers every malformed multipart body with a 4xx and stores nothing for it', async () => {
    const r = rng(SEED + 1);
    const names: string[] = [];
    const { statuses } = await runBatches(120, 4, (index) => {
      // Every tenth a proper upload: the good ones still work in between the garbage.
      const upload =
        index % 10 === 0
          ? { name: 'valid', type: 'multipart/form-data; boundary=qiaoFuzzBoundary', body: multipart('qiaoFuzzBoundary', [filePart(r.pick([JPEG, PNG]))]) }
          : hostileUpload(r);
      names.push(upload.name);
      const token = r.pick(tokens);
      return async () => ({
        label: `upload: ${upload.name}`,
        path: '/api/v1/uploads',
        response: await rawRequest(server.url, {
          method: 'POST',
          path: '/api/v1/uploads',
          headers: { authorization: `Bearer ${token}`, 'content-type': upload.type },
          body: upload.body,
        }),
      });
    });
    expect(names).toContain('truncated part');
    expect(statuses[200] ?? 0).toBeGreaterThanOrEqual(12);
    expect(statuses[400] ?? 0).toBeGreaterThan(0);

    const body = multipart('qiaoFuzzBoundary', [filePart(JPEG)]);
    await Promise.all(Array.from({ length: 8 }, (_, i) => abortedUpload(server.url, tokens[i % 2]!, body.subarray(0, 40 + i * 30))));

    // Every stored upload has its file, and nothing else is on disk.
    const dir = path.join(dataDir, 'uploads');
    const files = existsSync(dir) ? readdirSync(dir).filter((name) => /^[a-f0-9]{24}$/.test(name)) : [];
    expect(files.sort()).toEqual((await Upload.find().lean()).map((upload) => String(upload._id)).sort());
    expect(await call(server.url, '/healthz')).toMatchObject({ status: 200 });
  }, 120_000);
});
