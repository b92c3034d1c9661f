// Official Account user tags. WeChat document followed: "用户标签管理"
// (/doc/offiaccount/User_Management/User_Tag_Management.html). Tag 2 "星标组" exists in every
// account; new tags start at id 100; at most 100 tags per account and 20 tags per user; system
// tags (0, 1, 2) cannot be edited or deleted (45058); a tag with more than 100,000 fans cannot be
// deleted (45057).
import type Router from '@koa/router';
import { ok, wxError } from './errors.js';
import { appOf, handle, isObject, optInt, optString, readBody, requireToken, type SandboxCtxState } from './http.js';
import type { OaUser, SandboxStore } from './state.js';

const MAX_TAGS = 100;
const MAX_TAGS_PER_USER = 20;
const TAG_NAME_MAX = 30;
const TAGGING_BATCH_MAX = 50;
const TAG_USERS_PAGE = 10_000;
const SYSTEM_TAGS = new Set([0, 1, 2]);
const DELETE_MAX_FANS = 100_000;

export function registerTagRoutes(router: Router<SandboxCtxState>, store: SandboxStore): void {
  const auth = requireToken(store, 'oa');

  /** The tag named by `tagid` in the body, or 45159. */
  function tagIdFrom(appid: string, body: Record<string, unknown>): number {
    const tagid = optInt(body.tagid);
    if (tagid === undefined || !store.tagsOf(appid).has(tagid)) throw wxError(45159);
    return tagid;
  }

  /** The followers named by `openid_list`: 40032 for a bad list, 40003 for an unknown openid. */
  function usersFrom(appid: string, body: Record<string, unknown>): OaUser[] {
    const list = body.openid_list;
    if (!Array.isArray(list) || list.length === 0 || list.length > TAGGING_BATCH_MAX) throw wxError(40032);
    return list.map((openid) => {
      const user = typeof openid === 'string' ? store.oaUser(appid, openid) : undefined;
      if (!user) throw wxError(40003);
      return user;
    });
  }

  router.post(
    '/cgi-bin/tags/create',
    auth,
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const body = readBody(ctx);
      const name = isObject(body.tag) ? optString(body.tag.name)?.trim() : undefined;
      if (!name) throw wxError(45157);
      if (name.length > TAG_NAME_MAX) throw wxError(45158);
      const tags = store.tagsOf(appid);
      if ([...tags.values()].some((tag) => tag.name === name)) throw wxError(45157);
      if (tags.size >= MAX_TAGS) throw wxError(45056);
      const tag = store.createTag(appid, name);
      return { tag: { id: tag.id, name: tag.name } };
    }),
  );

  /** The tag named by `tag.id`: 45058 for a system tag, 45159 when unknown. */
  function editableTag(appid: string, body: Record<string, unknown>): number {
    const id = isObject(body.tag) ? optInt(body.tag.id) : undefined;
    if (id !== undefined && SYSTEM_TAGS.has(id)) throw wxError(45058);
    if (id === undefined || !store.tagsOf(appid).has(id)) throw wxError(45159);
    return id;
  }

  router.post(
    '/cgi-bin/tags/update',
    auth,
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const body = readBody(ctx);
      const id = editableTag(appid, body);
      const name = isObject(body.tag) ? optString(body.tag.name)?.trim() : undefined;
      if (!name) throw wxError(45157);
      if (name.length > TAG_NAME_MAX) throw wxError(45158);
      const tags = store.tagsOf(appid);
      if ([...tags.values()].some((tag) => tag.name === name && tag.id !== id)) throw wxError(45157);
      tags.set(id, { id, name });
      return ok();
    }),
  );

  router.post(
    '/cgi-bin/tags/delete',
    auth,
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const id = editableTag(appid, readBody(ctx));
      const members = [...store.oaUsers.values()].filter((u) => u.appid === appid && u.tagIds.includes(id));
      if (members.length > DELETE_MAX_FANS) throw wxError(45057);
      for (const user of members) user.tagIds = user.tagIds.filter((tagId) => tagId !== id);
      store.tagsOf(appid).delete(id);
      return ok();
    }),
  );

  router.get(
    '/cgi-bin/tags/get',
    auth,
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const tags = [...store.tagsOf(appid).values()].map((tag) => ({
        id: tag.id,
        name: tag.name,
        count: [...store.oaUsers.values()].filter((u) => u.appid === appid && u.subscribed && u.tagIds.includes(tag.id))
          .length,
      }));
      return { tags };
    }),
  );

  router.post(
    '/cgi-bin/tags/members/batchtagging',
    auth,
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const body = readBody(ctx);
      const tagid = tagIdFrom(appid, body);
      const users = usersFrom(appid, body);
      if (users.some((u) => !u.tagIds.includes(tagid) && u.tagIds.length >= MAX_TAGS_PER_USER)) throw wxError(45059);
      for (const user of users) if (!user.tagIds.includes(tagid)) user.tagIds.push(tagid);
      return ok();
    }),
  );

  router.post(
    '/cgi-bin/tags/members/batchuntagging',
    auth,
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const body = readBody(ctx);
      const tagid = tagIdFrom(appid, body);
      for (const user of usersFrom(appid, body)) user.tagIds = user.tagIds.filter((id) => id !== tagid);
      return ok();
    }),
  );

  router.post(
    '/cgi-bin/user/tag/get',
    auth,
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const body = readBody(ctx);
      const tagid = tagIdFrom(appid, body);
      const members = [...store.oaUsers.values()]
        .filter((u) => u.appid === appid && u.subscribed && u.tagIds.includes(tagid))
        .map((u) => u.openid)
        .sort();
      // next_openid: the list continues after this openid ('' = from the start).
      const after = optString(body.next_openid);
      const start = after === undefined ? 0 : members.findIndex((openid) => openid > after);
      const page = start < 0 ? [] : members.slice(start, start + TAG_USERS_PAGE);
      const more = start >= 0 && start + TAG_USERS_PAGE < members.length;
      if (page.length === 0) return { count: 0, next_openid: '' };
      return { count: page.length, data: { openid: page }, next_openid: more ? (page.at(-1) ?? '') : '' };
    }),
  );

  router.post(
    '/cgi-bin/tags/getidlist',
    auth,
    handle((ctx) => {
      const openid = optString(readBody(ctx).openid);
      const user = openid ? store.oaUser(appOf(ctx).appid, openid) : undefined;
      if (!user) throw wxError(40003);
      return { tagid_list: [...user.tagIds] };
    }),
  );
}
