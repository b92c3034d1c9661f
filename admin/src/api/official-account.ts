// The Official Account's conversation: custom menu (自定义菜单) and auto replies (自动回复).
import { autoReplySchema, menuStateSchema, type AutoReplyInput, type AutoReplyItem, type Menu, type MenuState } from '@qiao/shared';
import { z } from 'zod';
import { apiRequest } from './client';

export function getMenu(signal?: AbortSignal): Promise<MenuState> {
  return apiRequest('/oa/menu', { schema: menuStateSchema, signal });
}

export function saveMenuDraft(menu: Menu): Promise<MenuState> {
  return apiRequest('/oa/menu', { method: 'PUT', body: menu, schema: menuStateSchema });
}

/** menu/create: followers see the menu within a few minutes. */
export function publishMenu(menu: Menu): Promise<MenuState> {
  return apiRequest('/oa/menu/publish', { method: 'POST', body: menu, schema: menuStateSchema });
}

const autoReplyListSchema = z.object({ items: z.array(autoReplySchema) });

export async function listAutoReplies(signal?: AbortSignal): Promise<AutoReplyItem[]> {
  return (await apiRequest('/oa/auto-replies', { schema: autoReplyListSchema, signal })).items;
}

export function createAutoReply(body: AutoReplyInput): Promise<AutoReplyItem> {
  return apiRequest('/oa/auto-replies', { method: 'POST', body, schema: autoReplySchema });
}

export function updateAutoReply(id: string, body: AutoReplyInput): Promise<AutoReplyItem> {
  return apiRequest(`/oa/auto-replies/${encodeURIComponent(id)}`, { method: 'PUT', body, schema: autoReplySchema });
}

export function deleteAutoReply(id: string): Promise<void> {
  return apiRequest(`/oa/auto-replies/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
