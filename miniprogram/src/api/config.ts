/**
 * Where the Qiao API lives.
 * - h5: the build is served by the Qiao server at /h5/, so calls go to the same origin.
 * - weapp: a build-time constant (QIAO_API_BASE, see config/index.ts).
 */
export function apiBase(): string {
  if (process.env.TARO_ENV === 'h5') return '';
  return QIAO_API_BASE.replace(/\/+$/, '');
}
