// Who may see which report (数据权限), JSON and Excel alike: the role × report matrix, the
// department filter inside the caller's scope, and the refusals of bad queries.
import { reportNames, reportRoles, staffRoles, type StaffRole } from '@qiao/shared';
import { describe, expect, it } from 'vitest';
import { createStaffMember } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { createDepartments, type Departments } from './service-fixture.js';

let server: TestServer;
let departments: Departments;
const tokens = {} as Record<StaffRole, string>;

useTestServer(async (started) => {
  server = started;
  departments = await createDepartments();
  for (const role of staffRoles) tokens[role] = (await createStaffMember(role, { department: role === 'admin' ? null : departments.east })).token;
});

const get = (path: string, token: string) => call(server.url, `/api/v1${path}`, { token });

// The matrix as the product decides it, written out (not derived from reportRoles, which it checks).
const ALLOWED: Record<StaffRole, string[]> = {
  admin: [...reportNames],
  manager: [...reportNames],
  dispatcher: ['service-volume', 'service-times', 'engineer-ratings', 'engineer-workload', 'dispatch-calendar'],
  sales: ['lead-funnel', 'pool-movements', 'owner-performance', 'customer-stats'],
  marketer: ['lead-funnel', 'customer-stats'],
  engineer: [],
};

describe('role × report', () => {
  it('answers 200 to the roles that may see a report and 403 to the others, in JSON and in Excel', async () => {
    const seen: string[] = [];
    for (const role of staffRoles) {
      for (const name of reportNames) {
        const allowed = ALLOWED[role].includes(name);
        expect(reportRoles[name].includes(role) || role === 'admin', `${role} ${name} in reportRoles`).toBe(allowed);
        const json = await get(`/reports/${name}?from=2026-10-01&to=2026-10-07`, tokens[role]);
        expect(json.status, `${role} ${name}: ${JSON.stringify(json.body).slice(0, 200)}`).toBe(allowed ? 200 : 403);
        if (allowed) expect(json.body.name).toBe(name);
        else expect(json.body.error.code).toMatch(/^(REPORT_)?FORBIDDEN$/);
        const xlsx = await fetch(`${server.url}/api/v1/reports/${name}?from=2026-10-01&to=2026-10-07&format=xlsx`, { headers: { authorization: `Bearer ${tokens[role]}` } });
        expect(xlsx.status, `${role} ${name} xlsx`).toBe(allowed ? 200 : 403);
        if (allowed) expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
        await xlsx.arrayBuffer();
        seen.push(`${role}:${name}:${json.status}`);
      }
    }
    expect(seen).toHaveLength(staffRoles.length * reportNames.length);
  });

  it('needs a session', async () => {
    expect((await call(server.url, '/api/v1/reports/service-volume')).status).toBe(401);
  });

  it('tells each answer whose records it counts', async () => {
    expect((await get('/reports/lead-funnel', tokens.sales)).body.scope).toBe('own');
    expect((await get('/reports/lead-funnel', tokens.marketer)).body.scope).toBe('campaign');
    expect((await get('/reports/lead-funnel', tokens.manager)).body.scope).toBe('all');
  });
});

describe('the department filter', () => {
  it('accepts the caller’s department and those below it, refuses others', async () => {
    expect((await get(`/reports/service-volume?department=${departments.eastOne}`, tokens.manager)).status).toBe(200);
    expect((await get(`/reports/service-volume?department=${departments.east}`, tokens.dispatcher)).status).toBe(200);
    const other = await get(`/reports/service-volume?department=${departments.west}`, tokens.manager);
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({ code: 'REPORT_DEPARTMENT_FORBIDDEN', message: '只能查看本部门及下级部门的报表' });
    const xlsx = await fetch(`${server.url}/api/v1/reports/service-volume?department=${departments.west}&format=xlsx`, { headers: { authorization: `Bearer ${tokens.dispatcher}` } });
    expect(xlsx.status).toBe(403);
    expect((await get(`/reports/service-volume?department=${departments.west}`, tokens.admin)).body.department).toBe(departments.west);
  });
});

describe('bad queries', () => {
  it('an unknown report is 404 REPORT_NOT_FOUND', async () => {
    const response = await get('/reports/salaries', tokens.admin);
    expect(response.status).toBe(404);
    expect(response.body.error).toEqual({ code: 'REPORT_NOT_FOUND', message: '没有这个报表' });
  });

  it('refuses reversed, too long and impossible periods, unknown granularities and parameters', async () => {
    for (const query of [
      'from=2026-10-07&to=2026-10-01',
      'from=2025-01-01&to=2026-10-01',
      'from=2026-02-30',
      'granularity=hour',
      'format=csv',
      'department=%7B%22%24ne%22%3A1%7D',
      'owner=x',
    ]) {
      const response = await get(`/reports/service-volume?${query}`, tokens.admin);
      expect(response.status, query).toBe(400);
      expect(response.body.error.code, query).toBe('VALIDATION_FAILED');
    }
  });

  it('measures a period given by one end against today', async () => {
    const response = await get('/reports/service-volume?from=2020-01-01', tokens.admin);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('REPORT_PERIOD_TOO_LONG');
    expect((await get('/reports/service-volume?to=2026-10-07', tokens.admin)).body.period).toEqual({ from: '2026-09-08', to: '2026-10-07', granularity: 'day' });
  });

  it('defaults to the last 30 days, by day', async () => {
    const body = (await get('/reports/service-volume', tokens.admin)).body;
    expect(body.period.granularity).toBe('day');
    expect(body.tables.find((t: { key: string }) => t.key === 'by-time').rows).toHaveLength(30);
    expect((Date.parse(body.period.to) - Date.parse(body.period.from)) / 86_400_000).toBe(29);
  });
});
