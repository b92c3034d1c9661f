/** Query parameter of the login page holding where to go after logging in. */
export const REDIRECT_PARAM = 'redirect';

/** Login page URL that returns to `target` afterwards. */
export function loginPathFor(target: string): string {
  if (!target || target === '/' || target.startsWith('/login')) return '/login';
  return `/login?${REDIRECT_PARAM}=${encodeURIComponent(target)}`;
}

/** Only local console paths are accepted as a redirect target (no open redirect). */
export function safeRedirectTarget(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (value.startsWith('/login')) return '/';
  return value;
}
