// Read-only customer figures for the reports module (报表): customers by region, industry and grade,
// owned or in the pool, and created in a period, among the customers a viewer sees
// (customer-visibility.ts: a salesperson their own and shared ones, read directly — bounded by the
// cap; everyone else from the day rollups, report-days.ts), and how many customers each person
// owns (indexed counts).
import { chinaDayStart } from '../../lib/china-time.js';
import { idsInclude } from '../org/scope.js';
import { customerVisibility, type CustomerViewer } from './customer-visibility.js';
import { Customer } from './customer.model.js';
import { customerDays, summarizeCustomers, type CustomerCell } from './report-days.js';

export interface FacetCount {
  facet: CustomerCell['facet'];
  /** As stored ('' when not filled in). */
  value: string;
  total: number;
  pool: number;
  /** Created in the period. */
  added: number;
}

export interface CustomerCounts {
  total: number;
  pool: number;
  added: number;
  facets: FacetCount[];
}

function tally(parts: Array<{ cells: CustomerCell[]; inPeriod: boolean }>, departments: string[] | null): CustomerCounts {
  const counts: CustomerCounts = { total: 0, pool: 0, added: 0, facets: [] };
  const byKey = new Map<string, FacetCount>();
  for (const { cells, inPeriod } of parts) {
    for (const cell of cells) {
      if (!idsInclude(departments, cell.department)) continue;
      const key = JSON.stringify([cell.facet, cell.value]);
      let facet = byKey.get(key);
      if (!facet) byKey.set(key, (facet = { facet: cell.facet, value: cell.value, total: 0, pool: 0, added: 0 }));
      facet.total += cell.total;
      facet.pool += cell.pool;
      if (inPeriod) facet.added += cell.total;
      // Every customer has one region: the region cells count the customers.
      if (cell.facet !== 'region') continue;
      counts.total += cell.total;
      counts.pool += cell.pool;
      if (inPeriod) counts.added += cell.total;
    }
  }
  counts.facets = [...byKey.values()];
  return counts;
}

const FIELDS = { region: 1, industry: 1, grade: 1, department: 1, ownerId: 1, createdAt: 1 } as const;

/**
 * Customers in `departments` (null: all) that the viewer sees, counted; `added`: created in
 * [start, end). A marketer's counts span the company (their reports hold no contact details), so
 * only a salesperson's own rule applies here.
 */
export async function customerCounts(viewer: CustomerViewer, departments: string[] | null, start: Date, end: Date): Promise<CustomerCounts> {
  const inPeriod = (at: Date) => at.getTime() >= start.getTime() && at.getTime() < end.getTime();
  if (viewer.role === 'sales') {
    const own = (await customerVisibility(viewer)).filter;
    if (own === null) return tally([], departments);
    const rows = await Customer.find(own, FIELDS).lean<Array<{ createdAt: Date; department?: string | null }>>();
    return tally(
      rows.map((row) => ({ cells: summarizeCustomers([row]), inPeriod: inPeriod(row.createdAt) })),
      departments,
    );
  }
  const days = await customerDays();
  return tally(
    days.map((doc) => ({ cells: doc.cells, inPeriod: inPeriod(chinaDayStart(doc._id)) })),
    departments,
  );
}

/** Customers each of these people owns now (one indexed count per person). */
export async function ownedCustomerCounts(ownerIds: string[]): Promise<Map<string, number>> {
  const counts = await Promise.all(ownerIds.map(async (ownerId) => [ownerId, await Customer.countDocuments({ ownerId })] as const));
  return new Map(counts);
}
