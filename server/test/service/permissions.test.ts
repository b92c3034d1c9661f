// Who may call what: every service endpoint × every kind of caller. Records a caller may not see
// answer 404 (ids do not leak); roles that may never call an endpoint get 403; no session 401.
import { describe, expect, it } from 'vitest';
import { bindEngineerWeChat } from '../helpers/factories.js';
import { call, type TestServer } from '../helpers/server.js';
import { feedbackIn, recordingDeps, useServerWithCast, visitInput, type Cast, type ScenarioState } from './scenario.js';

let server: TestServer;
let cast: Cast;
useServerWithCast((started) => ({ server, cast } = started));

const api = (path: string, options: { method?: string; token?: string; body?: unknown }) => call(server.url, `/api/v1${path}`, options);

const callers = [
  'owner',
  'otherCustomer',
  'assignedEngineer',
  'otherEngineer',
  'collaborator',
  'dispatcher',
  'manager',
  'otherDispatcher',
  'admin',
  'anonymous',
] as const;
type Caller = (typeof callers)[number];

function tokenOf(caller: Caller): string | undefined {
  const tokens: Record<Caller, string | undefined> = {
    owner: cast.owner.token,
    otherCustomer: cast.other.token,
    assignedEngineer: cast.engineer.token,
    otherEngineer: cast.otherEngineer.token,
    collaborator: cast.collaborator.token,
    dispatcher: cast.dispatcher.token,
    manager: cast.manager.token,
    otherDispatcher: cast.otherDispatcher.token,
    admin: cast.admin.token,
    anonymous: undefined,
  };
  return tokens[caller];
}

/** 'listed' / 'unlisted': 200 and the request is / is not in the list. */
type Expected = number | 'listed' | 'unlisted';

interface Endpoint {
  name: string;
  state: ScenarioState;
  request: (ids: { id: string; orderId: string | null }) => { method: string; path: string; body?: unknown };
  /** The request's id as it appears in list items (lists only). */
  listedId?: (ids: { id: string; orderId: string | null }) => string;
  expect: Record<Caller, Expected>;
}

const CUSTOMER_ONLY = { assignedEngineer: 403, otherEngineer: 403, collaborator: 403, dispatcher: 403, manager: 403, otherDispatcher: 403, admin: 403 } as const;
const DISPATCHER_ONLY = { owner: 403, otherCustomer: 403, assignedEngineer: 403, otherEngineer: 403, collaborator: 403, dispatcher: 200, manager: 200, otherDispatcher: 404, admin: 200, anonymous: 401 } as const;
const ASSIGNEE_ONLY = { owner: 403, otherCustomer: 403, assignedEngineer: 200, otherEngineer: 404, collaborator: 403, dispatcher: 403, manager: 403, otherDispatcher: 403, admin: 404, anonymous: 401 } as const;
/** A department's list: its dispatchers, its manager and admin see the request; engineers may not list. */
const DEPARTMENT_LIST = { assignedEngineer: 403, otherEngineer: 403, collaborator: 403, dispatcher: 'listed', manager: 'listed', otherDispatcher: 'unlisted', admin: 'listed', anonymous: 401 } as const;

const endpoints: Endpoint[] = [
  {
    name: 'GET /feedbacks/:id',
    state: 'dispatched',
    request: ({ id }) => ({ method: 'GET', path: `/feedbacks/${id}` }),
    expect: { owner: 200, otherCustomer: 404, assignedEngineer: 200, otherEngineer: 404, collaborator: 200, dispatcher: 200, manager: 200, otherDispatcher: 404, admin: 200, anonymous: 401 },
  },
  {
    name: 'GET /feedbacks',
    state: 'dispatched',
    request: () => ({ method: 'GET', path: '/feedbacks?pageSize=100' }),
    listedId: ({ id }) => id,
    expect: { owner: 'listed', otherCustomer: 'unlisted', ...DEPARTMENT_LIST },
  },
  {
    name: 'POST /feedbacks',
    state: 'submitted',
    request: () => ({ method: 'POST', path: '/feedbacks', body: { clientRequestId: crypto.randomUUID(), type: 'consultation', description: '咨询', contactPhone: '13800138000' } }),
    expect: { owner: 201, otherCustomer: 201, ...CUSTOMER_ONLY, anonymous: 401 },
  },
  {
    name: 'GET /feedbacks/:id/engineer-suggestions',
    state: 'submitted',
    request: ({ id }) => ({ method: 'GET', path: `/feedbacks/${id}/engineer-suggestions` }),
    expect: DISPATCHER_ONLY,
  },
  {
    name: 'POST /feedbacks/:id/dispatch',
    state: 'submitted',
    request: ({ id }) => ({ method: 'POST', path: `/feedbacks/${id}/dispatch`, body: { engineerId: cast.engineer.id } }),
    expect: DISPATCHER_ONLY,
  },
  {
    name: 'POST /feedbacks/:id/undispatch',
    state: 'dispatched',
    request: ({ id }) => ({ method: 'POST', path: `/feedbacks/${id}/undispatch`, body: { reason: '调整' } }),
    expect: DISPATCHER_ONLY,
  },
  {
    name: 'POST /feedbacks/:id/complete',
    state: 'dispatched',
    request: ({ id }) => ({ method: 'POST', path: `/feedbacks/${id}/complete`, body: { note: '电话解决' } }),
    expect: DISPATCHER_ONLY,
  },
  {
    name: 'POST /feedbacks/:id/rating',
    state: 'completed',
    request: ({ id }) => ({ method: 'POST', path: `/feedbacks/${id}/rating`, body: { timeliness: 5, attitude: 5, quality: 5 } }),
    expect: { owner: 200, otherCustomer: 404, ...CUSTOMER_ONLY, anonymous: 401 },
  },
  {
    name: 'GET /work-orders',
    state: 'dispatched',
    request: () => ({ method: 'GET', path: '/work-orders?tab=pending&pageSize=100' }),
    listedId: ({ orderId }) => orderId!,
    expect: {
      owner: 403,
      otherCustomer: 403,
      assignedEngineer: 'listed',
      otherEngineer: 'unlisted',
      collaborator: 'listed',
      dispatcher: 403,
      manager: 403,
      otherDispatcher: 403,
      admin: 'unlisted',
      anonymous: 401,
    },
  },
  { name: 'POST /work-orders/:id/accept', state: 'dispatched', request: ({ orderId }) => ({ method: 'POST', path: `/work-orders/${orderId}/accept` }), expect: ASSIGNEE_ONLY },
  {
    name: 'POST /work-orders/:id/reject',
    state: 'dispatched',
    request: ({ orderId }) => ({ method: 'POST', path: `/work-orders/${orderId}/reject`, body: { reason: '没空' } }),
    expect: ASSIGNEE_ONLY,
  },
  {
    name: 'POST /work-orders/:id/transfer',
    state: 'accepted',
    request: ({ orderId }) => ({ method: 'POST', path: `/work-orders/${orderId}/transfer`, body: { engineerId: cast.otherEngineer.id } }),
    expect: ASSIGNEE_ONLY,
  },
  {
    name: 'POST /work-orders/:id/collaborators',
    state: 'accepted',
    request: ({ orderId }) => ({ method: 'POST', path: `/work-orders/${orderId}/collaborators`, body: { engineerIds: [cast.otherEngineer.id] } }),
    expect: ASSIGNEE_ONLY,
  },
  {
    name: 'POST /work-orders/:id/visits',
    state: 'accepted',
    request: ({ orderId }) => ({ method: 'POST', path: `/work-orders/${orderId}/visits`, body: visitInput() }),
    expect: { ...ASSIGNEE_ONLY, collaborator: 200 },
  },
  {
    name: 'POST /work-orders/:id/complete',
    state: 'in_progress',
    request: ({ orderId }) => ({ method: 'POST', path: `/work-orders/${orderId}/complete`, body: { summary: '好了' } }),
    expect: ASSIGNEE_ONLY,
  },
  {
    name: 'GET /follow-ups',
    state: 'rated',
    request: () => ({ method: 'GET', path: '/follow-ups?pageSize=100' }),
    listedId: ({ id }) => id,
    expect: { owner: 403, otherCustomer: 403, ...DEPARTMENT_LIST },
  },
  {
    name: 'POST /follow-ups/:id/close',
    state: 'rated',
    request: ({ id }) => ({ method: 'POST', path: `/follow-ups/${id}/close`, body: { note: '已致电客户道歉' } }),
    expect: DISPATCHER_ONLY,
  },
];

describe('permission matrix', () => {
  for (const endpoint of endpoints) {
    describe(endpoint.name, () => {
      for (const caller of callers) {
        const expected = endpoint.expect[caller];
        it(`${caller} → ${expected}`, async () => {
          // A fresh request per cell: allowed calls change state.
          const ids = await feedbackIn(cast, endpoint.state, recordingDeps());
          const { method, path, body } = endpoint.request(ids);
          const response = await api(path, { method, body, token: tokenOf(caller) });
          if (typeof expected === 'number') {
            expect(response.status, JSON.stringify(response.body)).toBe(expected);
            if (expected === 404) expect(response.body.error.code).toMatch(/_NOT_FOUND$/);
            if (expected === 401) expect(response.body.error.code).toBe('UNAUTHENTICATED');
          } else {
            expect(response.status, JSON.stringify(response.body)).toBe(200);
            const listed = response.body.items.some((item: { id: string }) => item.id === endpoint.listedId!(ids));
            expect(listed).toBe(expected === 'listed');
          }
        });
      }
    });
  }
});

describe('sessions', () => {
  it("an engineer's bound mini-program session works like their console session", async () => {
    const { orderId } = await feedbackIn(cast, 'dispatched', recordingDeps());
    const wechat = await bindEngineerWeChat(cast.engineer);
    const list = await api('/work-orders?tab=pending&pageSize=100', { token: wechat.token });
    expect(list.status).toBe(200);
    expect(list.body.items.some((o: { id: string }) => o.id === orderId)).toBe(true);
    expect((await api(`/work-orders/${orderId}/accept`, { token: wechat.token, method: 'POST' })).status).toBe(200);
  });

  it('unknown and malformed ids answer 404 / 400', async () => {
    const unknown = await api('/feedbacks/0123456789abcdef01234567', { token: cast.admin.token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({ code: 'FEEDBACK_NOT_FOUND', message: '服务请求不存在' });
    expect((await api('/work-orders/0123456789abcdef01234567/accept', { token: cast.engineer.token, method: 'POST' })).body.error.code).toBe('WORK_ORDER_NOT_FOUND');
    expect((await api('/follow-ups/0123456789abcdef01234567/close', { token: cast.admin.token, body: { note: 'x' } })).body.error.code).toBe('FOLLOW_UP_NOT_FOUND');
    expect((await api('/feedbacks/not-an-id', { token: cast.admin.token })).status).toBe(400);
  });
});
