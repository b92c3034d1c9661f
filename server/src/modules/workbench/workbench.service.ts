// 工作台: the caller's role decides the groups of cards and the short lists; every count lies
// within the caller's data scope (org/scope.ts; a salesperson's own records). The menu badges
// are polled, so they are a few indexed counts, cached per person for a few seconds.
import type { StaffRole, Workbench, WorkbenchBadges, WorkbenchCard, WorkbenchGroup, WorkbenchList } from '@qiao/shared';
import { workbenchGroupLabels } from '@qiao/shared';
import { countReturningCustomers } from '../customers/workbench.counts.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { countLeadsWithStatus, leadsVisibleTo } from '../leads/workbench.counts.js';
import { countOpenFollowUps, countWaitingDispatch } from '../service/workbench.counts.js';
import { engineerCards, marketingCards, ownSalesCards, serviceCards, systemCards, teamSalesCards } from './cards.js';
import { campaignResults, dueFollowUps } from './lists.js';
import { scopeCondition } from './scope.js';

export interface WorkbenchOptions {
  /** The Official Account's appid (the follower sync's record). */
  appid: string;
  now?: Date;
}

type Group = { key: WorkbenchGroup; cards: Promise<WorkbenchCard[]> };

const SERVICE_ROLES: readonly StaffRole[] = ['admin', 'manager', 'dispatcher'];
const TEAM_SALES_ROLES: readonly StaffRole[] = ['admin', 'manager'];

export async function workbenchFor(viewer: StaffPrincipal, options: WorkbenchOptions): Promise<Workbench> {
  const now = options.now ?? new Date();
  const scope = await scopeCondition(viewer);
  const groups: Group[] = [];
  const lists: Array<Promise<WorkbenchList>> = [];
  if (SERVICE_ROLES.includes(viewer.role)) groups.push({ key: 'service', cards: serviceCards(scope, now) });
  if (viewer.role === 'sales') {
    groups.push({ key: 'sales', cards: ownSalesCards(viewer, now) });
    lists.push(dueFollowUps(viewer, now));
  }
  if (TEAM_SALES_ROLES.includes(viewer.role)) {
    groups.push({ key: 'sales', cards: teamSalesCards(viewer, scope, now) });
    lists.push(dueFollowUps(viewer, now));
  }
  if (viewer.role === 'marketer' || viewer.role === 'admin') {
    groups.push({ key: 'marketing', cards: marketingCards(now) });
    lists.push(campaignResults());
  }
  if (viewer.role === 'engineer') groups.push({ key: 'work', cards: engineerCards(viewer.staffId) });
  if (viewer.role === 'admin') groups.push({ key: 'system', cards: systemCards(options.appid) });
  const [cards, resolvedLists] = await Promise.all([Promise.all(groups.map((group) => group.cards)), Promise.all(lists)]);
  return {
    groups: groups.map((group, i) => ({ key: group.key, title: workbenchGroupLabels[group.key], cards: cards[i]! })),
    lists: resolvedLists,
    generatedAt: now.toISOString(),
  };
}

/** What waits on each menu page the role uses; pages with nothing waiting are left out. */
async function computeBadges(viewer: StaffPrincipal): Promise<WorkbenchBadges> {
  const scope = await scopeCondition(viewer);
  const counts: Array<Promise<[string, number]>> = [];
  const add = (path: string, count: Promise<number>) => counts.push(count.then((n) => [path, n]));
  if (SERVICE_ROLES.includes(viewer.role)) {
    add('/service/requests', countWaitingDispatch(scope));
    add('/service/follow-ups', countOpenFollowUps(scope));
  }
  if (viewer.role === 'sales') {
    // Leads handed to me that I have not started on, and my customers about to return to the pool.
    add('/sales/leads', countLeadsWithStatus({ ownerId: viewer.staffId }, 'assigned'));
    add('/sales/pool', countReturningCustomers({ ownerId: viewer.staffId }));
  }
  if (TEAM_SALES_ROLES.includes(viewer.role)) add('/sales/leads', leadsVisibleTo(viewer).then((leads) => countLeadsWithStatus(leads, 'new')));
  const badges: WorkbenchBadges = {};
  for (const [path, n] of await Promise.all(counts)) if (n > 0) badges[path] = n;
  return badges;
}

/** Badges are polled every minute by every open console: a person's answer is reused this long. */
export const BADGE_CACHE_MS = 15_000;
const MAX_CACHED = 2000;
const badgeCache = new Map<string, { at: number; badges: Promise<WorkbenchBadges> }>();

export async function badgesFor(viewer: StaffPrincipal, now = new Date()): Promise<WorkbenchBadges> {
  // Keyed by person and role/department: a changed role or department is not served stale counts.
  const key = `${viewer.staffId}:${viewer.role}:${viewer.department ?? ''}`;
  const cached = badgeCache.get(key);
  if (cached && now.getTime() - cached.at < BADGE_CACHE_MS && now.getTime() >= cached.at) return cached.badges;
  if (badgeCache.size >= MAX_CACHED) badgeCache.clear();
  // The promise is cached: simultaneous polls of one person share one set of counts.
  const badges = computeBadges(viewer);
  badgeCache.set(key, { at: now.getTime(), badges });
  badges.catch(() => badgeCache.delete(key));
  return badges;
}

/** Forget cached badges (tests that change data between two reads). */
export function clearBadgeCache(): void {
  badgeCache.clear();
}
