// A service population with known answers for the report tests: departments 东区 (with 东一组
// below it) and 西区, four engineers, 12 requests of 2026-10-01..07 (China time) across 3 types
// and 3 product lines, with known acceptance, completion and requested times, ratings and work
// orders — plus requests just outside the period. The figures the tests expect are worked out
// in the comments of service-reports.test.ts.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { migrateWorkOrderFields } from '../../src/db/migrations/work-order-fields.js';
import { DepartmentModel } from '../../src/modules/org/department.model.js';
import { Feedback } from '../../src/modules/service/feedback.model.js';
import { WorkOrder } from '../../src/modules/service/work-order.model.js';
import { createEngineer, createStaffMember } from '../helpers/factories.js';

/** A China wall-clock time (`2026-10-01 09:00`) as an instant. */
export const cn = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
const HOUR = 3_600_000;
const plus = (at: Date, hours: number) => new Date(at.getTime() + hours * HOUR);

export async function createDepartments() {
  const east = await DepartmentModel.create({ name: '东区', parentId: null });
  const eastOne = await DepartmentModel.create({ name: '东一组', parentId: String(east._id) });
  const west = await DepartmentModel.create({ name: '西区', parentId: null });
  return { east: String(east._id), eastOne: String(eastOne._id), west: String(west._id) };
}
export type Departments = Awaited<ReturnType<typeof createDepartments>>;

interface RequestSpec {
  n: number;
  dept: keyof Departments;
  type: 'repair' | 'installation' | 'maintenance';
  line: string;
  created: string;
  accepted?: number;
  completed?: number;
  requested?: number;
  status: 'submitted' | 'dispatched' | 'accepted' | 'in_progress' | 'completed';
  engineer?: 'e1' | 'e2' | 'e3' | 'e4';
  rating?: [number, number, number];
}

export const REQUESTS: RequestSpec[] = [
  { n: 1, dept: 'east', type: 'repair', line: '空调', created: '2026-10-01 09:00', accepted: 1, completed: 4, requested: 8, status: 'completed', engineer: 'e1', rating: [5, 5, 5] },
  { n: 2, dept: 'east', type: 'repair', line: '空调', created: '2026-10-01 10:00', accepted: 2, completed: 10, requested: 8, status: 'completed', engineer: 'e1', rating: [2, 4, 4] },
  { n: 3, dept: 'east', type: 'installation', line: '热水器', created: '2026-10-02 09:00', accepted: 3, completed: 24, requested: 48, status: 'completed', engineer: 'e2', rating: [4, 4, 4] },
  { n: 4, dept: 'east', type: 'installation', line: '热水器', created: '2026-10-03 09:00', accepted: 1, requested: 3, status: 'in_progress', engineer: 'e2' },
  { n: 5, dept: 'east', type: 'maintenance', line: '空调', created: '2026-10-04 09:00', status: 'submitted' },
  { n: 6, dept: 'eastOne', type: 'repair', line: '空调', created: '2026-10-04 10:00', accepted: 2, completed: 6, status: 'completed', engineer: 'e1', rating: [3, 3, 3] },
  { n: 7, dept: 'eastOne', type: 'maintenance', line: '净水器', created: '2026-10-05 09:00', accepted: 4, completed: 8, requested: 12, status: 'completed', engineer: 'e3', rating: [5, 4, 5] },
  { n: 8, dept: 'west', type: 'repair', line: '空调', created: '2026-10-01 11:00', accepted: 1, completed: 2, requested: 4, status: 'completed', engineer: 'e3', rating: [1, 1, 1] },
  { n: 9, dept: 'west', type: 'repair', line: '热水器', created: '2026-10-02 11:00', accepted: 5, completed: 20, requested: 10, status: 'completed', engineer: 'e3' },
  // Requested far ahead: never overdue while the tests run.
  { n: 10, dept: 'west', type: 'installation', line: '空调', created: '2026-10-03 11:00', requested: 24_000, status: 'dispatched', engineer: 'e4' },
  { n: 11, dept: 'west', type: 'installation', line: '净水器', created: '2026-10-06 11:00', accepted: 2, status: 'in_progress', engineer: 'e4' },
  { n: 12, dept: 'west', type: 'maintenance', line: '空调', created: '2026-10-07 11:00', status: 'submitted' },
  // Outside the period (the evening before, and at its end): never counted, but #0's order is open.
  { n: 0, dept: 'east', type: 'repair', line: '空调', created: '2026-09-30 22:00', accepted: 0.5, status: 'accepted', engineer: 'e1' },
  { n: 13, dept: 'west', type: 'repair', line: '空调', created: '2026-10-08 00:00', status: 'submitted' },
];

export const number = (n: number) => `FW20261001-${String(n).padStart(4, '0')}`;

export async function createServicePopulation(departments: Departments) {
  const engineers = {
    e1: await createEngineer({ name: '甲工程师', department: departments.east }),
    e2: await createEngineer({ name: '乙工程师', department: departments.east }),
    e3: await createEngineer({ name: '丙工程师', department: departments.west }),
    e4: await createEngineer({ name: '丁工程师', department: departments.west }),
  };
  const dispatcher = await createStaffMember('dispatcher', { department: departments.east });
  const requests: Array<Record<string, unknown>> = [];
  const orders: Array<Record<string, unknown>> = [];
  for (const spec of REQUESTS) {
    const _id = new mongoose.Types.ObjectId();
    const created = cn(spec.created);
    const acceptedAt = spec.accepted === undefined ? null : plus(created, spec.accepted);
    const completedAt = spec.completed === undefined ? null : plus(created, spec.completed);
    const engineerId = spec.engineer ? engineers[spec.engineer].id : null;
    const events = [
      { kind: 'submitted', at: created },
      ...(engineerId ? [{ kind: 'dispatched', at: plus(created, 0.5), engineerId }] : []),
      ...(acceptedAt ? [{ kind: 'accepted', at: acceptedAt, engineerId }] : []),
      ...(completedAt ? [{ kind: 'completed', at: completedAt, engineerId }] : []),
    ];
    const [timeliness, attitude, quality] = spec.rating ?? [];
    requests.push({
      _id,
      number: number(spec.n),
      clientRequestId: randomUUID(),
      wechatUserId: randomUUID(),
      customerId: new mongoose.Types.ObjectId().toHexString(),
      contactId: new mongoose.Types.ObjectId().toHexString(),
      type: spec.type,
      status: spec.status,
      description: '报表测试',
      contactPhone: '13800138000',
      requestedBy: spec.requested === undefined ? null : plus(created, spec.requested),
      productLine: spec.line,
      department: departments[spec.dept],
      engineerId,
      events,
      completedAt,
      rating: spec.rating ? { timeliness, attitude, quality, comment: '', ratedAt: plus(completedAt!, 1) } : null,
      createdAt: created,
      updatedAt: created,
    });
    if (!engineerId) continue;
    if (spec.n === 10) {
      // 改派: the first order (丙) was cancelled, the second (丁) waits.
      orders.push(order(_id, engineers.e3.id, 'cancelled', plus(created, 0.5), null, null, dispatcher.id));
      orders.push(order(_id, engineerId, 'pending', plus(created, 1), null, null, dispatcher.id));
      continue;
    }
    orders.push(order(_id, engineerId, spec.status === 'completed' ? 'completed' : spec.status === 'accepted' ? 'accepted' : 'in_progress', plus(created, 0.5), acceptedAt, completedAt, dispatcher.id));
  }
  await Feedback.insertMany(requests, { timestamps: false });
  await WorkOrder.insertMany(orders);
  // Written behind the services' back, as an earlier version left them: the start-up fill gives
  // the orders their requests' department, number and requested time.
  await migrateWorkOrderFields({ force: true });
  return { engineers, dispatcher };
}

function order(feedbackId: mongoose.Types.ObjectId, assigneeId: string, status: string, dispatchedAt: Date, acceptedAt: Date | null, completedAt: Date | null, by: string) {
  return { feedbackId: String(feedbackId), assigneeId, status, dispatchedAt, acceptedAt, completedAt, dispatchedBy: by };
}

/** The departments and the population, and who the service-report tests ask as. */
export async function createServiceWorld() {
  const departments = await createDepartments();
  await createServicePopulation(departments);
  return {
    departments,
    admin: (await createStaffMember('admin', { department: null })).token,
    eastManager: (await createStaffMember('manager', { department: departments.east })).token,
    westDispatcher: (await createStaffMember('dispatcher', { department: departments.west })).token,
  };
}
