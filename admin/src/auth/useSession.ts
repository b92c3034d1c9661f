import { useSyncExternalStore } from 'react';
import type { StaffSession } from '@qiao/shared';
import { sessionStore } from '../api/session';

/** The logged-in staff session; re-renders when it changes (login, logout, 401, other tabs). */
export function useSession(): StaffSession | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
}
