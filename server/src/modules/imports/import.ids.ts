// Ids of what an import writes, derived from the import and the row: the same for every run of it,
// so a re-run writes nothing twice and a roll back finds what a stopped run wrote.
import { createHash } from 'node:crypto';
import mongoose from 'mongoose';

/** The id of a record an import writes for one row: the same for every run of the import. */
export function derivedId(importId: string, kind: 'customer' | 'contact' | 'device', row: number): mongoose.Types.ObjectId {
  return new mongoose.Types.ObjectId(createHash('sha256').update(`${importId}:${kind}:${row}`).digest('hex').slice(0, 24));
}
