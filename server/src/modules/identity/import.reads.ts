// What an import (imports module) reads of staff: the salespeople named in the file by username.
import { Staff, type StaffDoc } from './staff.model.js';

export interface StaffByUsername {
  id: string;
  username: string;
  name: string;
  role: StaffDoc['role'];
  department: string | null;
  active: boolean;
}

/** Staff members by username (one equality lookup each: a file names only a few). */
export async function staffByUsernames(usernames: Iterable<string>): Promise<Map<string, StaffByUsername>> {
  const unique = [...new Set(usernames)].filter((u) => u.length > 0 && u.length <= 64);
  const found = await Promise.all(
    unique.map((username) =>
      Staff.findOne({ username }, { username: 1, name: 1, role: 1, department: 1, active: 1 }).lean<
        Pick<StaffDoc, '_id' | 'username' | 'name' | 'role' | 'department' | 'active'>
      >(),
    ),
  );
  const map = new Map<string, StaffByUsername>();
  for (const staff of found) {
    if (!staff) continue;
    map.set(staff.username, {
      id: String(staff._id),
      username: staff.username,
      name: staff.name,
      role: staff.role,
      department: staff.department ?? null,
      active: staff.active !== false,
    });
  }
  return map;
}
