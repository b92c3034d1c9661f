// PENDING the ownership events model (S3).
export interface OwnershipEventStats {
  kind: string;
  at: Date;
  fromOwnerId: string | null;
  toOwnerId: string | null;
}

export async function ownershipEventsBetween(_departments: string[] | null, _staffId: string | null, _start: Date, _end: Date): Promise<OwnershipEventStats[]> {
  return [];
}
