// 粉丝同步 in Chromium: followers who followed before Qiao was connected exist only in WeChat; the
// admin starts a sync and watches it read them all, and they become WeChat users of Qiao.
import { describe, expect, it } from 'vitest';
import { api, staffToken } from '../support/api.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';

const env = useE2eEnvironment();
const FOLLOWERS = 250;

describe('粉丝同步', () => {
  it('the admin starts a sync and sees every earlier follower read from WeChat', async () => {
    const url = env.server.url;
    await api(url, '/sandbox/oa/users/bulk', { body: { count: FOLLOWERS, prefix: 'oEarlyFollower', unionidPrefix: 'uEarly' } });
    const { page } = await env.browser.newPage();
    const errors = collectPageErrors(page);

    await page.goto(`${url}/admin/login?redirect=${encodeURIComponent('/system/follower-sync')}`);
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', ADMIN_PASSWORD);
    await page.click('#login-submit');
    await page.waitForURL(/\/admin\/system\/follower-sync$/);
    await expect.poll(() => page.locator('#follower-sync-state').innerText()).toBe('尚未同步');

    await page.click('#follower-sync-start');
    // The page shows the run queued at once and follows it until it is done.
    await expect.poll(() => page.locator('#follower-sync-state').innerText(), { timeout: 60_000 }).toBe('已完成');
    const text = await page.locator('#follower-sync-page').innerText();
    expect(text).toMatch(new RegExp(`粉丝总数\\s*${FOLLOWERS}`));
    expect(text).toMatch(new RegExp(`已读取\\s*${FOLLOWERS}`));

    const token = await staffToken(url, 'admin', ADMIN_PASSWORD);
    const status = await api<{ fetched: number; created: number; total: number }>(url, '/api/v1/oa/follower-sync', { token });
    expect(status).toMatchObject({ total: FOLLOWERS, fetched: FOLLOWERS, created: FOLLOWERS });
    expect(errors).toEqual([]);
  }, 120_000);
});
