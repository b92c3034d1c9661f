// Personal posters: a PNG of the material's cover with the caller's own parametric QR code. The
// code is checked by reading it back: every module of the poster's QR area (sampled at its centre)
// must equal the module matrix `qrcode` computes for the ticket's url — a wrong scene, size or
// position fails. No QR decoder is installed; this comparison is the decoding.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { shareTokenOf } from '../../src/modules/spread/lookup.service.js';
import { POSTER_LAYOUT } from '../../src/modules/spread/poster.service.js';
import { PosterCode } from '../../src/modules/spread/share-node.model.js';
import { createCampaignFixture } from '../helpers/campaigns.js';
import { createStaffMember, createUpload, customerSession } from '../helpers/factories.js';
import { useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
useTestServer((s) => void (server = s));

async function poster(campaignId: string, token: string): Promise<{ status: number; type: string | null; png: Buffer }> {
  const response = await fetch(`${server.url}/api/v1/campaigns/${campaignId}/poster`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get('content-type'), png: Buffer.from(await response.arrayBuffer()) };
}

/** Modules of the QR area that differ from what `url` encodes (0: it is that code). */
async function qrMismatches(png: Buffer, url: string): Promise<number> {
  const { qrLeft, qrTop, qrSize, qrMargin } = POSTER_LAYOUT;
  const { data } = await sharp(png).extract({ left: qrLeft, top: qrTop, width: qrSize, height: qrSize }).greyscale().raw().toBuffer({ resolveWithObject: true });
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const cell = qrSize / (modules.size + 2 * qrMargin);
  let wrong = 0;
  for (let row = 0; row < modules.size; row += 1) {
    for (let col = 0; col < modules.size; col += 1) {
      const x = Math.floor((col + qrMargin + 0.5) * cell);
      const y = Math.floor((row + qrMargin + 0.5) * cell);
      const dark = data[y * qrSize + x]! < 128;
      if (dark !== Boolean(modules.get(row, col))) wrong += 1;
    }
  }
  return wrong;
}

let campaignId: string;
let coveredId: string;
beforeAll(async () => {
  campaignId = (await createCampaignFixture()).id;
  // A red cover, stored where the files module keeps uploads.
  const coverId = await createUpload({ kind: 'staff', id: 'marketer' });
  const dir = path.join(server.config.dataDir, 'uploads');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, coverId), await sharp({ create: { width: 400, height: 300, channels: 3, background: '#ff0000' } }).png().toBuffer());
  coveredId = (await createCampaignFixture({ coverFileId: coverId })).id;
});

describe('GET /campaigns/:id/poster', () => {
  it('draws the staff member’s own QR code (scene s_<token>) under the cover, and caches it', async () => {
    const staff = await createStaffMember('engineer');
    const first = await poster(coveredId, staff.token);
    expect(first.status).toBe(200);
    expect(first.type).toBe('image/png');
    const meta = await sharp(first.png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', POSTER_LAYOUT.width, POSTER_LAYOUT.coverHeight + POSTER_LAYOUT.panelHeight]);
    // The cover fills the top.
    const { data } = await sharp(first.png).extract({ left: 10, top: 10, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)]).toEqual([255, 0, 0]);

    const token = await shareTokenOf(coveredId, { kind: 'staff', id: staff.id });
    const code = await PosterCode.findById(token).lean();
    expect(code?.url).toMatch(/^http:\/\/weixin\.qq\.com\/q\//);
    expect(code!.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(await qrMismatches(first.png, code!.url)).toBe(0);
    // WeChat was asked for a temporary code of 30 days with the scene `s_<token>`.
    expect(server.sandbox.sandbox.qrCode(code!.ticket)).toMatchObject({ action_name: 'QR_STR_SCENE', scene_str: `s_${token}` });
    // Someone else's code would not match.
    expect(await qrMismatches(first.png, 'http://weixin.qq.com/q/other')).toBeGreaterThan(50);

    const second = await poster(coveredId, staff.token);
    expect(second.png.equals(first.png)).toBe(true);
    expect((await PosterCode.findById(token).lean())?.url).toBe(code!.url);
    expect(server.sandbox.sandbox.calls().filter((c) => c.path.endsWith('/qrcode/create'))).toHaveLength(1);
  });

  it('uses a plain background without a cover; recipients get theirs, others are refused', async () => {
    const recipient = await customerSession();
    await shareTokenOf(campaignId, { kind: 'contact', id: String(recipient.contact!._id) });
    const own = await poster(campaignId, recipient.token);
    expect(own.status).toBe(200);
    const { data } = await sharp(own.png).extract({ left: 10, top: 10, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)]).toEqual([0x16, 0x77, 0xff]);

    const stranger = await customerSession();
    const refused = await poster(campaignId, stranger.token);
    expect(refused.status).toBe(403);
    const draft = await createCampaignFixture({ status: 'draft' });
    expect((await poster(draft.id, (await createStaffMember('sales')).token)).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/campaigns/${campaignId}/poster`)).status).toBe(401);
  });
});
