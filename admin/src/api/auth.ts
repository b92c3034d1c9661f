import { staffSessionSchema, type LoginRequest, type StaffSession, type StaffUser } from '@qiao/shared';
import { apiRequest } from './client';
import { sessionStore } from './session';

const meResponseSchema = staffSessionSchema.pick({ user: true });

/** POST /auth/login; stores the session on success. */
export async function login(credentials: LoginRequest): Promise<StaffSession> {
  const session = await apiRequest('/auth/login', {
    method: 'POST',
    body: credentials,
    auth: false,
    schema: staffSessionSchema,
  });
  sessionStore.set(session);
  return session;
}

/** GET /auth/me: checks the token and refreshes the cached user. A 401 clears the session. */
export async function fetchCurrentUser(signal?: AbortSignal): Promise<StaffUser> {
  const { user } = await apiRequest('/auth/me', { schema: meResponseSchema, signal });
  sessionStore.updateUser(user);
  return user;
}

/** POST /auth/logout, then forgets the session whatever the server said. */
export async function logout(): Promise<void> {
  try {
    if (sessionStore.token()) await apiRequest('/auth/logout', { method: 'POST' });
  } catch {
    // Offline or already expired: the token simply expires on the server.
  } finally {
    sessionStore.clear();
  }
}
