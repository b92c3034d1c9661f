// Read-only follow-up record figures for the reports module (报表): who wrote how many records in
// a period (a person's own by author, else the department scope), from the day rollups (follow-days.ts).
import { idsInclude } from '../org/scope.js';
import { followDays } from './follow-days.js';

/** Records per author written in the China days [from, to]. */
export async function followCountsBetween(departments: string[] | null, authorId: string | null, from: string, to: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const day of await followDays(from, to)) {
    for (const cell of day.cells) {
      if (authorId ? cell.authorId !== authorId : !idsInclude(departments, cell.department)) continue;
      counts.set(cell.authorId, (counts.get(cell.authorId) ?? 0) + cell.count);
    }
  }
  return counts;
}
