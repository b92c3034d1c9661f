// The Official Account client's draft calls against the sandbox: multipart uploads (media/uploadimg,
// material/add_material) and draft/add, with WeChat's limits and error codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryTokenStore, createOfficialAccountClient, WeChatApiError, type OfficialAccountClient } from '../../src/wechat/api/index.js';
import { startSandbox } from '../../src/wechat/sandbox/index.js';
import { TEST_OA } from '../helpers/server.js';
import { PNG } from './helpers.js';

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let client: OfficialAccountClient;
const image = { bytes: PNG, filename: 'a.png', contentType: 'image/png' };

beforeAll(async () => {
  sandbox = await startSandbox({ apps: [{ ...TEST_OA, kind: 'oa' }] });
  client = createOfficialAccountClient({ baseUrl: sandbox.url, appid: TEST_OA.appid, secret: TEST_OA.secret, tokenStore: createMemoryTokenStore() });
});
afterAll(() => sandbox.close());

const errcodeOf = (promise: Promise<unknown>) => promise.then(() => 0, (error: unknown) => (error instanceof WeChatApiError ? error.errcode : -99));

describe('draft calls', () => {
  it('uploads article images and a permanent cover, then saves a draft with our images kept and outside ones filtered', async () => {
    const { url } = await client.uploadArticleImage(image);
    expect(url).toMatch(/^http:\/\/mmbiz\.qpic\.cn\//);
    const cover = await client.addPermanentImage(image);
    const { media_id } = await client.addDraft([{ title: '标题', author: '作者', digest: '摘要', content: `<p>a</p><img src="${url}"><img src="https://example.com/x.png">`, thumb_media_id: cover.media_id, content_source_url: 'https://qiao.example/h5/' }]);
    const draft = sandbox.sandbox.drafts().find((d) => d.media_id === media_id)!;
    expect(draft.articles[0]!.content).toBe(`<p>a</p><img src="${url}">`);
  });

  it('answers WeChat’s error codes', async () => {
    const cover = await client.addPermanentImage(image);
    const article = { title: '标题', content: '<p>x</p>', thumb_media_id: cover.media_id };
    expect(await errcodeOf(client.addDraft([{ ...article, title: '长'.repeat(33) }]))).toBe(45003);
    expect(await errcodeOf(client.addDraft([{ ...article, author: '作'.repeat(17) }]))).toBe(45110);
    expect(await errcodeOf(client.addDraft([{ ...article, digest: '摘'.repeat(129) }]))).toBe(45004);
    expect(await errcodeOf(client.addDraft([{ ...article, content: 'x'.repeat(20_000) }]))).toBe(45002);
    expect(await errcodeOf(client.addDraft([{ ...article, thumb_media_id: 'unknown' }]))).toBe(40007);
    expect(await errcodeOf(client.uploadArticleImage({ ...image, bytes: Buffer.from('GIF89a....') }))).toBe(40005);
    expect(await errcodeOf(client.uploadArticleImage({ ...image, bytes: Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]) }))).toBe(40009);
    // Injected failures (control endpoint) reach the client as WeChat's answers.
    await fetch(`${sandbox.url}/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/cgi-bin/draft/add', errcode: 45009 }) });
    expect(await errcodeOf(client.addDraft([article]))).toBe(45009);
    expect(await errcodeOf(client.addDraft([article]))).toBe(0);
  });
});
