// Every route of the service area: requests, work orders, follow-ups.
import type { ApiRoutes } from '../../http/route.js';
import { feedbackRoutes } from './feedback.routes.js';
import type { ServiceDeps } from './service.context.js';
import { followUpRoutes, workOrderRoutes } from './work-order.routes.js';

export function serviceRoutes(api: ApiRoutes, deps: ServiceDeps): void {
  feedbackRoutes(api, deps);
  workOrderRoutes(api, deps);
  followUpRoutes(api);
}
