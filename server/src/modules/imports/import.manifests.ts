// The manifests of groups added to existing customers (已追加): which contacts and devices a group
// adds, written before them and removed after them, so any roll back — a group, a batch taken
// over, a whole import — removes exactly those, without the file and never the customer itself.
import { refreshAttachedCustomers } from './import.links.js';
import { attachMessage } from './import.attach.js';
import { ImportAttachment } from './import.model.js';
import { firstRow, type CustomerGroup } from './rows.js';
import { derivedId } from './import.ids.js';

export interface Manifest {
  _id: string;
  row: number;
  customerId: string;
  contactIds: string[];
  deviceIds: string[];
}

export const manifestId = (importId: string, group: CustomerGroup) => `${importId}:${firstRow(group)}`;

/** Before the writes of groups added to existing customers: what each will add (a roll back's list). */
export async function writeManifests(importId: string, groups: CustomerGroup[]): Promise<void> {
  const docs = groups
    .filter((g) => g.attach)
    .map((g) => ({
      _id: manifestId(importId, g),
      importId,
      row: firstRow(g),
      rows: g.rows.map((r) => r.row),
      customerName: g.customer.name || g.rows[0]!.values.name,
      customerId: g.attach!.customerId,
      message: attachMessage(g.attach!),
      contactIds: g.contacts.map((c) => String(derivedId(importId, 'contact', c.row))),
      deviceIds: g.devices.map((d) => String(derivedId(importId, 'device', d.row))),
    }));
  if (docs.length === 0) return;
  try {
    await ImportAttachment.insertMany(docs, { ordered: false });
  } catch (error) {
    // Written by the run that stopped: the same ids, the same lists.
    if (!(error instanceof Error && /E11000|duplicate key|UNIQUE constraint/.test(error.message))) throw error;
  }
}

/** The manifests of these groups (a batch), or of the whole import. */
export function manifestsOf(importId: string, groups?: CustomerGroup[]): Promise<Manifest[]> {
  const filter = groups ? { _id: { $in: groups.map((g) => manifestId(importId, g)) } } : { importId };
  return ImportAttachment.find(filter, { row: 1, customerId: 1, contactIds: 1, deviceIds: 1 }).lean<Manifest[]>();
}

/** After their contacts and devices are removed: the customers' duplicate keys follow, the manifests go. */
export async function dropManifests(manifests: Manifest[]): Promise<void> {
  if (manifests.length === 0) return;
  await refreshAttachedCustomers(manifests.map((m) => m.customerId));
  await ImportAttachment.deleteMany({ _id: { $in: manifests.map((m) => m._id) } });
}
