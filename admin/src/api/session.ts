import { staffSessionSchema, type StaffSession, type StaffUser } from '@qiao/shared';

/** localStorage key of the staff session (token + user). */
export const SESSION_STORAGE_KEY = 'qiao.admin.session';

type Listener = () => void;

function isExpired(session: StaffSession): boolean {
  const expiresAt = Date.parse(session.expiresAt);
  return Number.isFinite(expiresAt) && expiresAt <= Date.now();
}

function readStorage(): StaffSession | null {
  try {
    const raw = window.localStorage.getItem(SESSION_STORAGE_KEY);
    if (!raw) return null;
    const parsed = staffSessionSchema.safeParse(JSON.parse(raw));
    if (!parsed.success || isExpired(parsed.data)) {
      window.localStorage.removeItem(SESSION_STORAGE_KEY);
      return null;
    }
    return parsed.data;
  } catch {
    return null;
  }
}

function writeStorage(session: StaffSession | null): void {
  try {
    if (session) window.localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    else window.localStorage.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // Storage may be unavailable (private mode, quota); the in-memory copy still works.
  }
}

let current: StaffSession | null = readStorage();
const listeners = new Set<Listener>();

function emit(): void {
  for (const listener of listeners) listener();
}

// Another tab logged in or out: follow it.
window.addEventListener('storage', (event) => {
  if (event.key !== null && event.key !== SESSION_STORAGE_KEY) return;
  current = readStorage();
  emit();
});

/** A tiny external store (for useSyncExternalStore) holding the logged-in staff session. */
export const sessionStore = {
  /** The current session, or null when logged out or expired. Stable reference between changes. */
  get(): StaffSession | null {
    if (current && isExpired(current)) {
      current = null;
      writeStorage(null);
    }
    return current;
  },
  token(): string | null {
    return sessionStore.get()?.token ?? null;
  },
  set(session: StaffSession): void {
    current = session;
    writeStorage(session);
    emit();
  },
  /** Replaces the cached user (after GET /auth/me) and keeps the token. */
  updateUser(user: StaffUser): void {
    if (!current) return;
    current = { ...current, user };
    writeStorage(current);
    emit();
  },
  clear(): void {
    const hadSession = current !== null;
    current = null;
    writeStorage(null);
    if (hadSession) emit();
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};
