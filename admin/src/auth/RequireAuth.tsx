import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { fetchCurrentUser } from '../api/auth';
import { useSession } from './useSession';
import { loginPathFor } from './redirect';

/**
 * Renders its children for a logged-in person, else sends them to the login page and remembers
 * where they were going. The cached session is shown at once and checked with GET /auth/me in
 * the background: a 401 clears the session, which brings this guard back to the login page.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const token = session?.token;

  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    fetchCurrentUser(controller.signal).catch(() => {
      // 401 is handled by the client (session cleared); other failures keep the cached user.
    });
    return () => controller.abort();
  }, [token]);

  if (!session) {
    return <Navigate to={loginPathFor(location.pathname + location.search)} replace />;
  }
  return <>{children}</>;
}
