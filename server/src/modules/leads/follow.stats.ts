// PENDING the follow records model (S4).
export interface FollowStats {
  authorId: string;
  target: string;
  createdAt: Date;
}

export async function followRecordsBetween(_departments: string[] | null, _authorId: string | null, _start: Date, _end: Date): Promise<FollowStats[]> {
  return [];
}
