// 工作台: the numbers each role starts the day with (GET /workbench), and the menu's badges
// (GET /workbench/badges). Cards link to the console list that shows what they count.
import { z } from 'zod';

export const workbenchTones = ['default', 'info', 'success', 'warning', 'danger'] as const;
export type WorkbenchTone = (typeof workbenchTones)[number];

/** Stable keys of the cards: the console gives each `#workbench-card-<key>`. */
export const workbenchCardKeys = [
  // dispatcher (and manager, admin): service requests of the department subtree
  'service-waiting',
  'service-overdue',
  'service-follow-ups',
  'service-created-today',
  'service-completed-today',
  // sales (manager, admin: of the subtree)
  'leads-open',
  'leads-unassigned',
  'follow-ups-due',
  'customers-owned',
  'customers-returning',
  'pool-size',
  'opportunities-open',
  // marketer
  'campaigns-running',
  'campaigns-scheduled',
  'campaign-leads-week',
  // engineer
  'orders-pending',
  'orders-accepted',
  // admin
  'follower-sync',
] as const;
export type WorkbenchCardKey = (typeof workbenchCardKeys)[number];

export const workbenchCardSchema = z.object({
  key: z.enum(workbenchCardKeys),
  title: z.string(),
  value: z.number().int(),
  unit: z.string().optional(),
  /** Console path with the list's filter (`/service/requests?status=submitted`); null: nothing to open. */
  link: z.string().nullable(),
  tone: z.enum(workbenchTones).optional(),
  /** A short line under the value (e.g. `3 天内回到公海`). */
  hint: z.string().optional(),
});
export type WorkbenchCard = z.infer<typeof workbenchCardSchema>;

export const workbenchListItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().optional(),
  /** ISO time the item is about (a due date, a start). */
  at: z.string().nullable().optional(),
  link: z.string().nullable(),
  /** Overdue or otherwise urgent. */
  urgent: z.boolean().optional(),
  /** Figures shown beside the item (a campaign's delivered, read …). */
  figures: z.array(z.object({ label: z.string(), value: z.number() })).optional(),
});
export type WorkbenchListItem = z.infer<typeof workbenchListItemSchema>;

export const workbenchListKeys = ['due-follow-ups', 'campaign-results'] as const;
export const workbenchListSchema = z.object({
  key: z.enum(workbenchListKeys),
  title: z.string(),
  items: z.array(workbenchListItemSchema),
  /** The full list in the console. */
  link: z.string().nullable(),
  emptyText: z.string(),
});
export type WorkbenchList = z.infer<typeof workbenchListSchema>;

export const workbenchGroups = ['service', 'sales', 'marketing', 'work', 'system'] as const;
export type WorkbenchGroup = (typeof workbenchGroups)[number];
export const workbenchGroupLabels: Record<WorkbenchGroup, string> = {
  service: '服务',
  sales: '销售',
  marketing: '营销',
  work: '我的工单',
  system: '系统',
};

export const workbenchSchema = z.object({
  /** Cards in display order, grouped (a manager sees service and sales). */
  groups: z.array(z.object({ key: z.enum(workbenchGroups), title: z.string(), cards: z.array(workbenchCardSchema) })),
  lists: z.array(workbenchListSchema),
  generatedAt: z.string(),
});
export type Workbench = z.infer<typeof workbenchSchema>;

/** Console path → how many things wait there (pages with nothing waiting are left out). */
export const workbenchBadgesSchema = z.record(z.string(), z.number().int().nonnegative());
export type WorkbenchBadges = z.infer<typeof workbenchBadgesSchema>;

/** The menu paths that may carry a badge. */
export const badgePaths = ['/service/requests', '/service/follow-ups', '/sales/leads', '/sales/pool'] as const;
