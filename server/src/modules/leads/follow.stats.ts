// Read-only follow-up record figures for the reports module (报表): who wrote how many records in
// a period (a person's own by `authorId`, else the department scope).
import { flatFilter } from '../../lib/query.js';
import { filterFor } from '../org/scope.js';
import { FollowRecord } from './follow-record.model.js';

export interface FollowStats {
  authorId: string;
  target: string;
  createdAt: Date;
}

export async function followRecordsBetween(departments: string[] | null, authorId: string | null, start: Date, end: Date): Promise<FollowStats[]> {
  const filter = flatFilter(authorId ? { authorId } : filterFor(departments), { createdAt: { $gte: start, $lt: end } });
  const rows = await FollowRecord.find(filter, { authorId: 1, target: 1, createdAt: 1 }).lean<FollowStats[]>();
  return rows.map((row) => ({ authorId: row.authorId, target: row.target, createdAt: row.createdAt }));
}
