// The menu's badges: what waits on each page (GET /workbench/badges), read on login, every 60 s,
// after each navigation and when a page asks (refreshMenuBadges, e.g. the workbench's 刷新).
import { useEffect, useState } from 'react';
import type { WorkbenchBadges } from '@qiao/shared';
import { getWorkbenchBadges } from '../api/workbench';

export const BADGE_POLL_MS = 60_000;
const REFRESH_EVENT = 'qiao:menu-badges-refresh';

/** Asks the menu to read its badges again now. */
export function refreshMenuBadges(): void {
  window.dispatchEvent(new Event(REFRESH_EVENT));
}

/** Badges by console path; `{}` until the first answer. A failed poll keeps the last answer. */
export function useMenuBadges(enabled: boolean, pathname: string): WorkbenchBadges {
  const [badges, setBadges] = useState<WorkbenchBadges>({});
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    const again = () => setTick((value) => value + 1);
    const timer = window.setInterval(again, BADGE_POLL_MS);
    window.addEventListener(REFRESH_EVENT, again);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener(REFRESH_EVENT, again);
    };
  }, [enabled]);

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    getWorkbenchBadges(controller.signal).then(
      (next) => {
        if (!controller.signal.aborted) setBadges(next);
      },
      () => {
        // Badges are a hint: the next poll tries again.
      },
    );
    return () => controller.abort();
  }, [enabled, pathname, tick]);

  return badges;
}
