// Read-only customer figures for the reports module (报表): region, industry, grade and owner of
// the customers in a scope, and how many customers each person owns (indexed counts).
import { flatFilter } from '../../lib/query.js';
import { filterFor } from '../org/scope.js';
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

/** Customers of the departments (null: all); with `ownerId`, only those they own or share. */
export async function customerFacets(departments: string[] | null, ownerId: string | null): Promise<CustomerFacets[]> {
  const base = filterFor(departments);
  const queries = ownerId ? [{ ...base, ownerId }, flatFilter(base, { collaboratorIds: ownerId })] : [base];
  const rows = (await Promise.all(queries.map((filter) => Customer.find(filter, FIELDS).lean<Row[]>()))).flat();
  const byId = new Map<string, CustomerFacets>();
  for (const row of rows) {
    byId.set(String(row._id), { id: String(row._id), region: row.region ?? '', industry: row.industry ?? '', grade: row.grade ?? '', ownerId: row.ownerId ?? null, createdAt: row.createdAt });
  }
  return [...byId.values()];
}

/** Customers each of these people owns now (one indexed count per person). */
export async function ownedCustomerCounts(ownerIds: string[]): Promise<Map<string, number>> {
  const counts = await Promise.all(ownerIds.map(async (ownerId) => [ownerId, await Customer.countDocuments({ ownerId })] as const));
  return new Map(counts);
}
