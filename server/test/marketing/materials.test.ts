// Materials (素材): CRUD through the API, versions kept on every edit, bodies cut down to an
// allow-list (XSS attempts stripped), signed preview links, who may manage them.
import { beforeAll, describe, expect, it } from 'vitest';
import { sanitizeHtml } from '../../src/modules/marketing/sanitize.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { staffSession } from '../helpers/factories.js';
import { createMaterialViaApi, uploadImage } from './helpers.js';

let server: TestServer;
let marketer: { token: string; id: string };
let dispatcher: { token: string };
useTestServer(async (s) => {
  server = s;
});
beforeAll(async () => {
  marketer = await staffSession(server, 'marketer');
  dispatcher = await staffSession(server, 'dispatcher');
});

describe('the body sanitiser', () => {
  const attacks: Array<[string, string]> = [
    ['<p onclick="steal()">正文</p><script>alert(1)</script>', '<p>正文</p>'],
    ['<img src=x onerror=alert(1)>', '<img src="x">'],
    ['<a href="javascript:alert(1)">a</a>', '<a>a</a>'],
    ['<a href="jav&#x61;script:alert(1)">a</a>', '<a>a</a>'],
    ['<a href=" java\tscript:alert(1)">a</a>', '<a>a</a>'],
    ['<a href="data:text/html,x">a</a>', '<a>a</a>'],
    ['<svg onload=alert(1)><script>x</script></svg>文', '文'],
    ['<iframe src="https://evil.example"></iframe>', ''],
    ['<style>body{display:none}</style><p style="color: red; background: url(javascript:x)">c</p>', '<p style="color: red">c</p>'],
    ['<<script>x</script>img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['<!-- <script>x</script> --><p title="a&quot;b">t</p>', '<p title="a&quot;b">t</p>'],
    ['<div><object data="x"></object><embed src="x">ok</div>', '<div>ok</div>'],
    ['<a href="https://example.com/?a=1&b=2" target="_blank">l</a>', '<a href="https://example.com/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">l</a>'],
    ['<form action="x"><input name="p"></form><b>粗</b>', '<b>粗</b>'],
  ];
  it.each(attacks)('%s → %s', (input, expected) => {
    expect(sanitizeHtml(input)).toBe(expected);
  });

  it('stays linear on hostile input (unclosed quotes in tags)', () => {
    const started = performance.now();
    sanitizeHtml('<a title="'.repeat(20_000));
    sanitizeHtml('<a "'.repeat(50_000));
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('materials through the API', () => {
  it('creates with a sanitised body and signed image links, edits into new versions, lists the old ones', async () => {
    const cover = await uploadImage(server.url, marketer.token);
    const inline = await uploadImage(server.url, marketer.token);
    const created = await createMaterialViaApi(server, marketer.token, {
      title: '春季空调焕新',
      summary: '以旧换新，限时优惠',
      coverFileId: cover.id,
      bodyHtml: `<h2 onmouseover="x()">焕新</h2><p>正文<script>alert(document.cookie)</script></p><img src="${inline.url}"><a href="javascript:alert(1)">点</a>`,
    });
    expect(created.version).toBe(1);
    expect(created.bodyHtml).not.toMatch(/script|onmouseover|javascript:/i);
    // Our own images come back with a fresh signed link, stored without it.
    expect(created.bodyHtml).toMatch(new RegExp(`<img src="/api/v1/files/${inline.id}\\?exp=\\d+&amp;sig=[\\w-]+">`));
    const image = await fetch(`${server.url}${(/src="([^"]+)"/.exec(created.bodyHtml)![1] ?? '').replace(/&amp;/g, '&')}`);
    expect(image.status).toBe(200);

    const edited = await call(server.url, `/api/v1/materials/${created.id}`, { method: 'PATCH', token: marketer.token, body: { title: '春季空调焕新（第二版）', bodyHtml: '<p>新正文</p>' } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, title: '春季空调焕新（第二版）', bodyHtml: '<p>新正文</p>', summary: '以旧换新，限时优惠', coverFileId: cover.id });

    const versions = await call(server.url, `/api/v1/materials/${created.id}/versions`, { token: marketer.token });
    expect(versions.status).toBe(200);
    expect(versions.body.items.map((v: { version: number; title: string }) => [v.version, v.title])).toEqual([
      [2, '春季空调焕新（第二版）'],
      [1, '春季空调焕新'],
    ]);
    expect(versions.body.items[1].bodyHtml).toContain('正文');

    const list = await call(server.url, '/api/v1/materials?q=焕新', { token: marketer.token });
    expect(list.body.items.map((m: { id: string }) => m.id)).toContain(created.id);
  });

  it('lets one of two simultaneous edits of the same version win; the other gets 409', async () => {
    const material = await createMaterialViaApi(server, marketer.token, { bodyHtml: '<p>v1</p>' });
    const edits = await Promise.all(
      ['甲', '乙', '丙'].map((who) => call(server.url, `/api/v1/materials/${material.id}`, { method: 'PATCH', token: marketer.token, body: { bodyHtml: `<p>${who}</p>` } })),
    );
    const statuses = edits.map((e) => e.status).sort();
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const versions = await call(server.url, `/api/v1/materials/${material.id}/versions`, { token: marketer.token });
    const detail = await call(server.url, `/api/v1/materials/${material.id}`, { token: marketer.token });
    // Every accepted edit is one version; the material shows the newest.
    expect(versions.body.items).toHaveLength(1 + statuses.filter((s) => s === 200).length);
    expect(detail.body.version).toBe(versions.body.items[0].version);
    expect(detail.body.bodyHtml).toBe(versions.body.items[0].bodyHtml);
  });

  it('refuses a customer’s photo as a cover, and unknown fields', async () => {
    const customerPhoto = await call(server.url, '/api/v1/materials', { token: marketer.token, body: { kind: 'poster', title: 'x', coverFileId: '0123456789abcdef01234567' } });
    expect(customerPhoto.status).toBe(400);
    const extra = await call(server.url, '/api/v1/materials', { token: marketer.token, body: { kind: 'poster', title: 'x', $where: '1' } });
    expect(extra.status).toBe(400);
    expect(extra.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('gives a 24-hour preview link whose page data needs no login', async () => {
    const material = await createMaterialViaApi(server, marketer.token, { title: '预览素材', bodyHtml: '<p>预览正文</p>' });
    const link = await call(server.url, `/api/v1/materials/${material.id}/preview-link`, { method: 'POST', token: marketer.token });
    expect(link.status).toBe(200);
    const token = /preview=([\w-]+)$/.exec(link.body.url)![1];
    expect(link.body.url).toMatch(/\/h5\/#\/pages\/campaign\/index\?preview=/);
    const preview = await call(server.url, `/api/v1/materials/preview?token=${token}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ title: '预览素材', bodyHtml: '<p>预览正文</p>' });
    const bad = await call(server.url, '/api/v1/materials/preview?token=AAAAAAAAAAAAAAAAAAAAAAAA');
    expect(bad.status).toBe(404);
  });

  it('deletes (then 404) and is for marketing staff only', async () => {
    const material = await createMaterialViaApi(server, marketer.token, {});
    expect((await call(server.url, `/api/v1/materials/${material.id}`, { token: dispatcher.token })).status).toBe(403);
    expect((await call(server.url, '/api/v1/materials', { token: dispatcher.token, body: { kind: 'poster', title: 'x' } })).status).toBe(403);
    expect((await call(server.url, `/api/v1/materials/${material.id}`, { method: 'DELETE', token: marketer.token })).status).toBe(204);
    expect((await call(server.url, `/api/v1/materials/${material.id}`, { token: marketer.token })).status).toBe(404);
  });
});
