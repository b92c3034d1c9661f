// Official Account user tags (WeChat: "用户标签管理"): at most 100 tags, 20 per user,
// 50 openids per (un)tagging call — the methods here split longer lists.
import type { WeChatCore } from './client.js';

export interface WeChatTag {
  id: number;
  name: string;
}

export interface TagUsersPage {
  count: number;
  data?: { openid: string[] };
  /** Pass back to continue; '' when the list is complete. */
  next_openid?: string;
}

const TAGGING_BATCH_MAX = 50;

export function tagsApi(core: WeChatCore) {
  async function batch(path: string, tagid: number, openids: readonly string[]): Promise<void> {
    for (let i = 0; i < openids.length; i += TAGGING_BATCH_MAX) {
      await core.request({
        method: 'POST',
        path,
        body: { openid_list: openids.slice(i, i + TAGGING_BATCH_MAX), tagid },
        idempotent: true,
      });
    }
  }

  const api = {
    /** 45157 when the name exists already, 45158 when longer than 30 characters. */
    async createTag(name: string): Promise<WeChatTag> {
      const answer = await core.request<{ tag: WeChatTag }>({ method: 'POST', path: '/cgi-bin/tags/create', body: { tag: { name } } });
      return answer.tag;
    },

    /** 45058 for a system tag, 45159 for an unknown one, 45157 / 45158 for the name. */
    async updateTag(id: number, name: string): Promise<void> {
      await core.request({ method: 'POST', path: '/cgi-bin/tags/update', body: { tag: { id, name } }, idempotent: true });
    },

    /** Removes the tag from its members too; 45057 when it has more than 100,000 of them. */
    async deleteTag(id: number): Promise<void> {
      await core.request({ method: 'POST', path: '/cgi-bin/tags/delete', body: { tag: { id } } });
    },

    async getTags(): Promise<(WeChatTag & { count: number })[]> {
      const answer = await core.request<{ tags?: (WeChatTag & { count: number })[] }>({ path: '/cgi-bin/tags/get' });
      return answer.tags ?? [];
    },

    tagUsers: (tagid: number, openids: readonly string[]) => batch('/cgi-bin/tags/members/batchtagging', tagid, openids),

    untagUsers: (tagid: number, openids: readonly string[]) => batch('/cgi-bin/tags/members/batchuntagging', tagid, openids),

    /** One page (up to 10,000 followers) of the tag's members. */
    getTagUsers(tagid: number, nextOpenid = ''): Promise<TagUsersPage> {
      return core.request<TagUsersPage>({
        method: 'POST',
        path: '/cgi-bin/user/tag/get',
        body: { tagid, next_openid: nextOpenid },
        idempotent: true,
      });
    },

    /** Every member of the tag, page after page. */
    async getAllTagUsers(tagid: number): Promise<string[]> {
      const openids: string[] = [];
      let next = '';
      for (;;) {
        const page = await api.getTagUsers(tagid, next);
        const chunk = page.data?.openid ?? [];
        openids.push(...chunk);
        if (chunk.length === 0 || !page.next_openid || page.next_openid === next) return openids;
        next = page.next_openid;
      }
    },

    async getUserTags(openid: string): Promise<number[]> {
      const answer = await core.request<{ tagid_list?: number[] }>({
        method: 'POST',
        path: '/cgi-bin/tags/getidlist',
        body: { openid },
        idempotent: true,
      });
      return answer.tagid_list ?? [];
    },
  };
  return api;
}
