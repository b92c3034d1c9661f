// Read-only customer figures for the reports module (报表): region, industry, grade and owner of
// the customers a viewer sees (customer-visibility.ts: a salesperson their own and shared ones),
// and how many customers each person owns (indexed counts).
import { flatFilter } from '../../lib/query.js';
import { filterFor } from '../org/scope.js';
import { customerVisibility, type CustomerViewer } from './customer-visibility.js';
import { Customer } from './customer.model.js';

export interface CustomerFacets {
  id: string;
  region: string;
  industry: string;
  grade: string;
  ownerId: string | null;
  createdAt: Date;
}

type Row = Omit<CustomerFacets, 'id'> & { _id: unknown };
const FIELDS = { region: 1, industry: 1, grade: 1, ownerId: 1, createdAt: 1 } as const;

/**
 * Customers in `departments` (null: all) that the viewer sees. A marketer's counts span the
 * company (their reports hold no contact details), so only a salesperson's own rule applies here.
 */
export async function customerFacets(viewer: CustomerViewer, departments: string[] | null): Promise<CustomerFacets[]> {
  const own = viewer.role === 'sales' ? (await customerVisibility(viewer)).filter : {};
  if (own === null) return [];
  const rows = await Customer.find(flatFilter(own, filterFor(departments)), FIELDS).lean<Row[]>();
  return rows.map((row) => ({ id: String(row._id), region: row.region ?? '', industry: row.industry ?? '', grade: row.grade ?? '', ownerId: row.ownerId ?? null, createdAt: row.createdAt }));
}

/** Customers each of these people owns now (one indexed count per person). */
export async function ownedCustomerCounts(ownerIds: string[]): Promise<Map<string, number>> {
  const counts = await Promise.all(ownerIds.map(async (ownerId) => [ownerId, await Customer.countDocuments({ ownerId })] as const));
  return new Map(counts);
}
