// Web authorisation (网页授权) in the sandbox: written in its own branch; this stub keeps the hook.
import type Router from '@koa/router';
import type { SandboxCtxState } from './http.js';
import type { SandboxStore } from './state.js';

export function registerOAuthRoutes(_router: Router<SandboxCtxState>, _store: SandboxStore): void {}
