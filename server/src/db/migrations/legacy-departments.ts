// On every start: department values written as free text (before the tree existed) become
// top-level departments of the same name, and the records point at them by id. Idempotent and
// safe with several processes starting at once: a legacy name's department has an _id derived
// from the name, so the insert happens once (the unique _id decides) and everyone agrees on it.
import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { isDuplicateKey } from '../../lib/db.js';
import { DepartmentModel } from '../../modules/org/department.model.js';
import { loadDepartments } from '../../modules/org/department.service.js';

/**
 * Collections whose `department` field references a department. A data migration works on the
 * stored documents of several areas at once, so it lives here in the database layer and reads raw
 * collections; the areas themselves only ever use each other's services.
 */
export const DEPARTMENT_HOLDERS = ['staff', 'customers', 'feedbacks', 'follow_ups'] as const;

/** The department a legacy free-text name becomes: the same _id in every process. */
export function legacyDepartmentId(name: string): mongoose.Types.ObjectId {
  return new mongoose.Types.ObjectId(createHash('sha256').update(`qiao-legacy-department:${name}`).digest('hex').slice(0, 24));
}

export interface DepartmentMigrationResult {
  /** Legacy names turned into (or matched with) departments. */
  names: string[];
  /** Records repointed, per collection. */
  updated: Record<string, number>;
}

export async function migrateLegacyDepartments(): Promise<DepartmentMigrationResult> {
  const departments = await loadDepartments();
  const known = departments.map((d) => d.id);
  const db = mongoose.connection;
  // Only records holding something that is neither empty nor a department: after the first run
  // this finds nothing.
  const legacy = new Set<string>();
  for (const name of DEPARTMENT_HOLDERS) {
    const rows = await db
      .collection(name)
      .find({ department: { $nin: [...known, '', null] } }, { projection: { department: 1 } })
      .toArray();
    for (const row of rows) if (typeof row.department === 'string' && row.department.trim()) legacy.add(row.department);
  }

  const result: DepartmentMigrationResult = { names: [...legacy].sort(), updated: {} };
  for (const name of result.names) {
    // A top-level department of that name made by hand is reused; otherwise the legacy one.
    const existing = departments.find((d) => d.parentId === null && d.name === name.trim());
    const id = existing?.id ?? String(await ensureLegacyDepartment(name.trim(), departments.length));
    for (const collection of DEPARTMENT_HOLDERS) {
      const { modifiedCount } = await db.collection(collection).updateMany({ department: name }, { $set: { department: id } });
      result.updated[collection] = (result.updated[collection] ?? 0) + modifiedCount;
    }
  }
  return result;
}

async function ensureLegacyDepartment(name: string, order: number): Promise<mongoose.Types.ObjectId> {
  const _id = legacyDepartmentId(name);
  try {
    await DepartmentModel.create({ _id, name, parentId: null, order });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  return _id;
}
