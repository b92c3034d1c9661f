// The import job: validate every row, then settle the customer groups in file order, a batch at a
// time. Without transactions, "nothing half-imported" rests on these:
//   - every record gets an id derived from the import and its row, so writing a batch again
//     writes nothing twice;
//   - the import's own document says how many groups are settled (`doneGroups`); a run that
//     stopped (crash, restart) is taken over, rolls the batch it was writing back by those ids,
//     and goes on from there;
//   - a group whose write fails part way (a serial number taken meanwhile) is removed again and
//     reported, and a file that fails as a whole removes everything of the import (`importId`);
//   - a group added to an existing customer (import.attach.ts) writes its manifest (which
//     contacts and devices it adds, import.manifests.ts) before them, so every roll back removes
//     exactly those — the existing customer itself is never in a roll back's list.
import { readFile, rm } from 'node:fs/promises';
import type { ImportCounts } from '@qiao/shared';
import mongoose from 'mongoose';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import {
  customerIdsByCode,
  insertImportBatch,
  productIdsBySerial,
  removeImport,
  removeImportedRecords,
  writeImportSearchKeys,
  type ImportBatch,
} from '../customers/import.writes.js';
import { staffByUsernames } from '../identity/import.reads.js';
import { departmentScopeIds, idsInclude } from '../org/scope.js';
import { importFilePath, type ImportDeps, type Importer, importerOf } from './import.files.js';
import { settleAttachments, type AttachedSoFar } from './import.attach.js';
import { derivedId } from './import.ids.js';
import { dropManifests, manifestsOf, writeManifests } from './import.manifests.js';
import { countsOf, Import, ImportRejection, type ImportDoc } from './import.model.js';
import { overCapAfterWrite, rejectOverCap, type OwnedPlacement } from './import.caps.js';
import { markInFileDuplicates } from './in-file-duplicates.js';
import {
  duplicateKeysOf,
  duplicateRules,
  findDuplicateCustomers,
  forgetImportedCustomers,
  noteImportedCustomers,
  refreshAttachedCustomers,
} from './import.links.js';
import { firstRow, groupRows, rejectionsOf, type CustomerGroup } from './rows.js';
import { readImportRows } from './workbook.js';

export const IMPORT_JOB = 'imports.run';
export interface ImportJob {
  importId: string;
}

/** Groups settled per batch (a few hundred rows): progress moves, a crash redoes little. */
export const GROUPS_PER_BATCH = 100;
/** A run renews its lease every batch; a run silent for longer is taken to have died. */
export const LEASE_MS = 2 * 60_000;

type Id = mongoose.Types.ObjectId;

export { derivedId };

type Placement = OwnedPlacement;

const OWNER_ROLES = new Set(['sales', 'manager']);

/** Owners, codes and serial numbers against the database; a group's faults go on its first row. */
async function checkAgainstDatabase(importId: string, groups: CustomerGroup[], importer: Importer): Promise<Map<number, Placement>> {
  const [owners, codes, serials, scope] = await Promise.all([
    staffByUsernames(groups.map((g) => g.owner)),
    customerIdsByCode(groups.map((g) => g.customer.code).filter(Boolean)),
    productIdsBySerial(groups.flatMap((g) => g.devices.map((d) => d.serialNumber))),
    departmentScopeIds(importer),
  ]);
  const placements = new Map<number, Placement>();
  for (const group of groups) {
    const first = group.rows[0]!.row;
    const faultOn = (row: number) => (reason: string) => {
      const list = group.errors.get(row) ?? [];
      list.push(reason);
      group.errors.set(row, list);
    };
    const fault = faultOn(first);
    const ownerFault = faultOn(group.ownerRow);
    let placement: Placement = {
      ownerId: importer.role === 'sales' ? importer.staffId : null,
      ownerRole: importer.role,
      department: importer.role === 'admin' ? '' : (importer.department ?? ''),
    };
    if (group.owner) {
      const owner = owners.get(group.owner);
      if (!owner) ownerFault(`专管业务员 ${group.owner} 不存在（请填写登录用户名）`);
      else if (!owner.active) ownerFault(`专管业务员 ${group.owner} 已停用`);
      else if (!OWNER_ROLES.has(owner.role)) ownerFault(`${group.owner} 不是业务员，不能做专管业务员`);
      else if (importer.role === 'sales' && owner.id !== importer.staffId) ownerFault('业务员只能导入自己的客户：专管业务员请留空或填写自己');
      else if (!idsInclude(scope, owner.department)) ownerFault(`专管业务员 ${group.owner} 不在您管理的部门内`);
      // The customer's department follows its owner's.
      else placement = { ownerId: owner.id, ownerRole: owner.role, department: owner.department ?? '' };
    }
    placements.set(group.index, placement);
    const customerId = String(derivedId(importId, 'customer', first));
    const holder = group.customer.code ? codes.get(group.customer.code) : undefined;
    // The code of a customer we already have: the group is added to it (import.attach.ts decides).
    if (holder && holder !== customerId) group.codeHolder = holder;
    for (const device of group.devices) {
      const existing = serials.get(device.serialNumber);
      if (existing && existing !== String(derivedId(importId, 'device', device.row))) {
        const list = group.errors.get(device.row) ?? [];
        list.push(`序列号 ${device.serialNumber} 已存在`);
        group.errors.set(device.row, list);
      }
    }
  }
  return placements;
}

/** What a batch writes. A group added to an existing customer writes only contacts and devices, under that customer. */
function batchOf(importId: string, groups: CustomerGroup[], placements: Map<number, Placement>): ImportBatch {
  const batch: ImportBatch = { customers: [], contacts: [], devices: [] };
  for (const group of groups) {
    const groupId = derivedId(importId, 'customer', firstRow(group));
    let customerId = groupId;
    let { ownerId, department } = placements.get(group.index)!;
    if (group.attach) {
      customerId = new mongoose.Types.ObjectId(group.attach.customerId);
      department = group.attach.department;
    } else {
      const dupKeys = duplicateKeysOf({ id: String(customerId), name: group.customer.name, phone: group.customer.phone, department, contacts: group.contacts });
      batch.customers.push({ _id: customerId, ...group.customer, department, ownerId, importId, dupKeys });
    }
    for (const c of group.contacts) batch.contacts.push({ _id: derivedId(importId, 'contact', c.row), customerId, groupId, name: c.name, phone: c.phone, title: c.title, department });
    for (const d of group.devices) {
      batch.devices.push({
        _id: derivedId(importId, 'device', d.row),
        customerId,
        groupId,
        serialNumber: d.serialNumber,
        model: d.model,
        productLine: d.productLine,
        installedAt: new Date(`${d.installedAt}T00:00:00+08:00`),
        warrantyEndsAt: new Date(`${d.warrantyEndsAt}T00:00:00+08:00`),
        address: d.address,
        department,
      });
    }
  }
  return batch;
}

const idsOf = (batch: ImportBatch) => ({
  customers: batch.customers.map((c) => c._id),
  contacts: batch.contacts.map((c) => c._id),
  devices: batch.devices.map((d) => d._id),
});

/** Only the groups of `keep` (group ids: their new customer's derived id). */
function narrowed(batch: ImportBatch, keep: (groupId: Id) => boolean): ImportBatch {
  return {
    customers: batch.customers.filter((c) => keep(c._id)),
    contacts: batch.contacts.filter((c) => keep(c.groupId)),
    devices: batch.devices.filter((d) => keep(d.groupId)),
  };
}

/**
 * Removes what a batch (or part of it) wrote, duplicate keys included: the customers it created
 * with their contacts and devices, and the contacts and devices it added to existing customers —
 * found by their derived ids and by the groups' manifests, which go last.
 */
async function rollBack(importId: string, batch: ImportBatch, groups: CustomerGroup[]): Promise<void> {
  const ids = idsOf(batch);
  const manifests = await manifestsOf(importId, groups);
  const union = (own: Id[], listed: string[]) => [...new Set([...own.map(String), ...listed])].map((id) => new mongoose.Types.ObjectId(id));
  await removeImportedRecords({
    customers: ids.customers,
    contacts: union(ids.contacts, manifests.flatMap((m) => m.contactIds)),
    devices: union(ids.devices, manifests.flatMap((m) => m.deviceIds)),
  });
  await forgetImportedCustomers(batch.customers.map((c) => String(c._id)));
  await dropManifests(manifests);
}

async function recordRejections(importId: string, groups: CustomerGroup[]): Promise<void> {
  const docs = groups.flatMap((group) =>
    rejectionsOf(group).map((r) => ({ _id: `${importId}:${r.row}`, importId, row: r.row, customerName: r.values.name, reasons: r.reasons, values: r.values })),
  );
  if (docs.length === 0) return;
  try {
    await ImportRejection.insertMany(docs, { ordered: false });
  } catch (error) {
    // Recorded by the run that stopped: the same ids, the same reasons.
    if (!(error instanceof Error && /E11000|duplicate key|UNIQUE constraint/.test(error.message))) throw error;
  }
}

/**
 * The duplicate check of a batch and which groups go to existing customers: reads only, so it runs
 * while the batch before is written.
 */
async function checkBatch(doc: ImportDoc, groups: CustomerGroup[], attachedSoFar: AttachedSoFar): Promise<void> {
  const importId = String(doc._id);
  const importer = importerOf(doc);
  const valid = groups.filter((g) => g.errors.size === 0);
  const groupId = (g: CustomerGroup) => String(derivedId(importId, 'customer', firstRow(g)));
  // 撞单 against customers already in the database (S1's check), excluding this group's own record;
  // a group whose code names an existing customer goes to that one without asking.
  const duplicates = await findDuplicateCustomers(
    importer,
    valid
      .filter((g) => !g.codeHolder)
      .map((g) => ({ customerId: groupId(g), company: g.customer.name, name: g.contacts[0]?.name ?? '', phone: g.contacts[0]?.phone ?? g.customer.phone })),
  );
  // A group naming an existing customer by code is checked against it even when it has faults
  // already, so the report lists every fault of its rows at once.
  const attachable = groups.filter((g) => g.errors.size === 0 || g.codeHolder);
  await settleAttachments(importId, importer, attachable, groupId, (row) => String(derivedId(importId, 'contact', row)), duplicates, attachedSoFar);
}

/** Settles one checked batch of groups: the writes, the rejections. */
async function writeBatch(doc: ImportDoc, groups: CustomerGroup[], placements: Map<number, Placement>, now: Date): Promise<ImportCounts> {
  const importId = String(doc._id);
  const importer = importerOf(doc);
  // Added to an existing customer: its owner does not change, so no cap applies.
  await rejectOverCap(groups.filter((g) => !g.attach), placements);
  const valid = groups.filter((g) => g.errors.size === 0);
  await writeManifests(importId, valid);
  let batch = batchOf(importId, valid, placements);
  const outcome = await insertImportBatch(batch, now);
  const groupIdOf = (g: CustomerGroup) => String(derivedId(importId, 'customer', firstRow(g)));
  if (outcome.failedCustomers.size > 0) {
    const failed = valid.filter((g) => outcome.failedCustomers.has(groupIdOf(g)));
    await rollBack(importId, narrowed(batch, (id) => outcome.failedCustomers.has(String(id))), failed);
    for (const group of groups) {
      if (outcome.failedCustomers.has(String(derivedId(importId, 'customer', group.rows[0]!.row)))) {
        group.errors.set(group.rows[0]!.row, ['客户编码或序列号刚被其他记录占用，请核对后重新导入']);
      }
    }
    batch = narrowed(batch, (id) => !outcome.failedCustomers.has(String(id)));
  }
  // Parallel moves to the same owners may have filled their caps meanwhile: the excess goes back.
  const written = new Set(batch.customers.map((c) => String(c._id)));
  const excess = await overCapAfterWrite(
    groups.filter((g) => written.has(groupIdOf(g))),
    placements,
  );
  if (excess.length > 0) {
    const out = new Set(excess.map(groupIdOf));
    await rollBack(importId, narrowed(batch, (id) => out.has(String(id))), excess);
    batch = narrowed(batch, (id) => !out.has(String(id)));
  }
  await writeImportSearchKeys(batch);
  const attached = groups.filter((g) => g.attach && g.errors.size === 0);
  // Their contacts take part in the duplicate check from now on.
  if (attached.length > 0) await refreshAttachedCustomers(attached.map((g) => g.attach!.customerId));
  await noteImportedCustomers(
    importer,
    importId,
    batch.customers.map((c) => ({ customerId: String(c._id), ownerId: c.ownerId, department: c.department, dupKeys: c.dupKeys })),
    now,
  );
  const rejected = groups.filter((g) => g.errors.size > 0);
  await recordRejections(importId, rejected);
  return {
    customers: batch.customers.length,
    attachedCustomers: attached.length,
    contacts: batch.contacts.length,
    devices: batch.devices.length,
    rejectedRows: rejected.reduce((n, g) => n + g.rows.length, 0),
  };
}

const add = (a: ImportCounts, b: ImportCounts): ImportCounts => ({
  customers: a.customers + b.customers,
  attachedCustomers: a.attachedCustomers + b.attachedCustomers,
  contacts: a.contacts + b.contacts,
  devices: a.devices + b.devices,
  rejectedRows: a.rejectedRows + b.rejectedRows,
});

/** The file failed as a whole: everything of the import is removed and it says why. */
async function failImport(importId: string, reason: string): Promise<void> {
  // What it added to existing customers first (by the manifests), then the customers it created.
  const manifests = await manifestsOf(importId);
  const ids = (list: string[]) => list.map((id) => new mongoose.Types.ObjectId(id));
  await removeImportedRecords({ customers: [], contacts: ids(manifests.flatMap((m) => m.contactIds)), devices: ids(manifests.flatMap((m) => m.deviceIds)) });
  await dropManifests(manifests);
  await forgetImportedCustomers(await removeImport(importId));
  await ImportRejection.deleteMany({ importId });
  await Import.updateOne(
    { _id: importId },
    { $set: { status: 'failed', error: reason, finishedAt: new Date(), leaseUntil: null, counts: { customers: 0, attachedCustomers: 0, contacts: 0, devices: 0, rejectedRows: 0 } } },
  );
}

/**
 * Runs (or resumes) an import. Idempotent: a finished import is left alone, a live run's lease is
 * respected, and a run taken over redoes only the batch that was in flight.
 */
export async function runImport(importId: string, deps: ImportDeps, logger?: Logger): Promise<void> {
  const doc = await Import.findById(importId).lean<ImportDoc>();
  if (!doc || doc.status === 'done' || doc.status === 'failed') return;
  const now = deps.now?.() ?? new Date();
  if (doc.leaseUntil && doc.leaseUntil.getTime() > now.getTime()) return;
  const lease = () => new Date((deps.now?.() ?? new Date()).getTime() + LEASE_MS);
  await Import.updateOne({ _id: doc._id }, { $set: { leaseUntil: lease(), startedAt: doc.startedAt ?? now, ...(doc.status === 'queued' ? { status: 'validating' } : {}) } });
  try {
    let bytes: Buffer;
    try {
      bytes = await readFile(importFilePath(deps, importId));
    } catch {
      await failImport(importId, '导入文件已丢失，请重新上传');
      return;
    }
    let groups: CustomerGroup[];
    try {
      groups = groupRows(await readImportRows(bytes));
    } catch (error) {
      await failImport(importId, error instanceof AppError ? error.message : '文件无法读取');
      await rm(importFilePath(deps, importId), { force: true });
      return;
    }
    markInFileDuplicates(groups, await duplicateRules());
    const placements = await checkAgainstDatabase(importId, groups, importerOf(doc));
    const rowCount = groups.reduce((n, g) => n + g.rows.length, 0);
    await Import.updateOne({ _id: doc._id }, { $set: { status: 'importing', totalRows: rowCount, leaseUntil: lease() } });

    let counts: ImportCounts = countsOf(doc);
    let doneRows = doc.doneRows;
    const slices: CustomerGroup[][] = [];
    for (let start = doc.doneGroups; start < groups.length; start += GROUPS_PER_BATCH) slices.push(groups.slice(start, start + GROUPS_PER_BATCH));
    // The batch a stopped run may have been writing: rolled back first, then written again.
    if (doc.status === 'importing' && slices[0]) await rollBack(importId, batchOf(importId, slices[0], placements), slices[0]);
    // Existing customers the settled batches added to (one group of the file each).
    const attachedSoFar: AttachedSoFar = new Map((await manifestsOf(importId)).map((m) => [m.customerId, m.row]));
    let doneGroups = doc.doneGroups;
    let checked = slices[0] ? checkBatch(doc, slices[0], attachedSoFar) : null;
    for (let k = 0; k < slices.length; k += 1) {
      const slice = slices[k]!;
      await checked;
      // The next batch is checked (reads) while this one is written.
      const next = slices[k + 1];
      checked = next ? checkBatch(doc, next, attachedSoFar) : null;
      checked?.catch(() => undefined); // awaited on the next turn; a failure now must not go unhandled
      counts = add(counts, await writeBatch(doc, slice, placements, now));
      doneRows += slice.reduce((n, g) => n + g.rows.length, 0);
      doneGroups += slice.length;
      await Import.updateOne({ _id: doc._id }, { $set: { doneGroups, doneRows, counts, leaseUntil: lease() } });
    }
    await Import.updateOne({ _id: doc._id }, { $set: { status: 'done', finishedAt: new Date(), leaseUntil: null } });
    await rm(importFilePath(deps, importId), { force: true });
  } catch (error) {
    // Let the next attempt (agenda's retry, the recovery sweep) take over at once.
    await Import.updateOne({ _id: doc._id }, { $set: { leaseUntil: null } }).catch(() => undefined);
    logger?.warn({ err: error, importId }, 'import stopped; it resumes on the next attempt');
    throw error;
  }
}

/** Imports whose run stopped without finishing (crash, restart): their ids, to queue again. */
export async function stalledImports(now = new Date()): Promise<string[]> {
  const open = await Import.find({ status: { $in: ['queued', 'validating', 'importing'] } }, { leaseUntil: 1, createdAt: 1 }).lean<
    Array<Pick<ImportDoc, '_id' | 'leaseUntil' | 'createdAt'>>
  >();
  return open
    .filter((doc) => (doc.leaseUntil ? doc.leaseUntil.getTime() < now.getTime() : doc.createdAt.getTime() < now.getTime() - LEASE_MS))
    .map((doc) => String(doc._id));
}
