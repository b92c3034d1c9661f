// Shared set-up of the service tests: a cast of people, requests brought to a given state through
// the services themselves, a job queue that records what would run, and an `eventually` poll.
import { randomUUID } from 'node:crypto';
import type { FeedbackCreate } from '@qiao/shared';
import { createLogger } from '../../src/logger.js';
import { dispatchFeedback } from '../../src/modules/service/dispatch.service.js';
import { submitFeedback } from '../../src/modules/service/feedback.service.js';
import { rateFeedback } from '../../src/modules/service/rating.service.js';
import type { ServiceDeps, StaffViewer } from '../../src/modules/service/service.context.js';
import { recordVisit } from '../../src/modules/service/visit.service.js';
import { acceptWorkOrder, addCollaborators, completeWorkOrder } from '../../src/modules/service/work-order.service.js';
import { createDispatcher, createEngineer, createProduct, createStaffMember, customerSession, verifiedCustomerSession } from '../helpers/factories.js';
import { useTestServer, type TestServer } from '../helpers/server.js';

export interface QueuedJob {
  name: string;
  data: any;
  when?: Date;
}

/** Service deps whose job queue records instead of running: tests run the handlers themselves. */
export function recordingDeps(overrides: Partial<ServiceDeps> = {}): ServiceDeps & { queued: QueuedJob[] } {
  const queued: QueuedJob[] = [];
  return {
    queued,
    jobs: {
      now: async (name, data) => void queued.push({ name, data }),
      schedule: async (when, name, data) => void queued.push({ name, data, when }),
    },
    logger: createLogger('silent'),
    notices: {
      // The ids the sandbox knows (its seeded templates): it refuses unknown ones with 40037, as WeChat does.
      templates: { serviceStatus: 'qiao-service-status', serviceOverdue: 'qiao-service-overdue', warranty: 'qiao-warranty-expiring', mpDispatch: 'qiao-mp-work-order' },
      mpAppid: 'wxtest00000000mp01',
      publicBaseUrl: 'https://qiao.example.com',
    },
    dueReminderHours: 24,
    ...overrides,
  };
}

export const viewerOf = (staff: { id: string; doc: { role: string; department?: string | null } }): StaffViewer => ({
  kind: 'staff',
  staffId: staff.id,
  role: staff.doc.role as StaffViewer['role'],
  department: staff.doc.department ?? null,
});

export function feedbackInput(fields: Partial<FeedbackCreate> = {}): FeedbackCreate {
  return {
    clientRequestId: randomUUID(),
    type: 'repair',
    productArchiveId: null,
    description: '空调外机异响，制冷效果差',
    photoIds: [],
    contactPhone: '13800138000',
    address: '',
    requestedBy: null,
    ...fields,
  };
}

/** Everyone the permission tests need, created once. */
export async function createCast() {
  const owner = await verifiedCustomerSession();
  const other = await verifiedCustomerSession();
  const product = await createProduct(owner.customer!);
  return {
    owner,
    other,
    unverified: await customerSession({ verified: false }),
    product,
    engineer: await createEngineer({ name: '张工' }),
    otherEngineer: await createEngineer({ name: '李工' }),
    collaborator: await createEngineer({ name: '王工' }),
    dispatcher: await createDispatcher('服务一部', { name: '调度小王' }),
    manager: await createStaffMember('manager', { department: '服务一部', name: '经理老陈' }),
    otherDispatcher: await createDispatcher('服务二部', { name: '调度小赵' }),
    admin: await createStaffMember('admin', { department: null, name: '管理员' }),
  };
}
export type Cast = Awaited<ReturnType<typeof createCast>>;

/**
 * A test server and the cast for this file's tests, created once before them; the server is
 * stopped after them. `receive` keeps both, e.g. `useServerWithCast((started) => ({ server, cast } = started))`.
 */
export function useServerWithCast(receive: (started: { server: TestServer; cast: Cast }) => void): void {
  useTestServer(async (server) => receive({ server, cast: await createCast() }));
}

export type ScenarioState = 'submitted' | 'dispatched' | 'accepted' | 'in_progress' | 'completed' | 'rated';

/** A request of the cast's owner, brought to `state` (with the collaborator on its order once dispatched). */
export async function feedbackIn(cast: Cast, state: ScenarioState, deps: ServiceDeps = recordingDeps(), input: Partial<FeedbackCreate> = {}) {
  const { detail } = await submitFeedback(cast.owner.wechatUserId, feedbackInput({ productArchiveId: String(cast.product._id), ...input }));
  const id = detail.id;
  if (state === 'submitted') return { id, orderId: null as string | null };
  const dispatched = await dispatchFeedback(viewerOf(cast.dispatcher), id, { engineerId: cast.engineer.id, note: '' }, deps);
  const orderId = dispatched.workOrder!.id;
  const engineer = viewerOf(cast.engineer);
  await addCollaborators(engineer, orderId, [cast.collaborator.id]);
  if (state === 'dispatched') return { id, orderId };
  await acceptWorkOrder(engineer, orderId, deps);
  if (state === 'accepted') return { id, orderId };
  await recordVisit(engineer, orderId, visitInput());
  if (state === 'in_progress') return { id, orderId };
  await completeWorkOrder(engineer, orderId, '已修复', deps);
  if (state === 'completed') return { id, orderId };
  await rateFeedback({ kind: 'customer', wechatUserId: cast.owner.wechatUserId }, id, { timeliness: 1, attitude: 3, quality: 3, comment: '太慢了' });
  return { id, orderId };
}

export function visitInput(fields: Record<string, unknown> = {}) {
  return {
    checkInAt: new Date(Date.now() - 60_000).toISOString(),
    location: { latitude: 30.25, longitude: 120.15, address: '西湖区北山街 1 号' },
    internalNote: '电机轴承磨损',
    customerNote: '更换风扇电机，已恢复正常制冷',
    photoIds: [],
    parts: [{ name: '风扇电机', model: 'YDK-35', quantity: 1 }],
    charges: [{ item: '上门服务费', amountFen: 8000 }],
    ...fields,
  };
}

/** Poll until `check` holds (notifications are sent by jobs, a moment after the answer). */
export async function eventually<T>(read: () => Promise<T> | T, check: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() - started > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
