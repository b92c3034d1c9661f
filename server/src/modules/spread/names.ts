// Names of the people in a share tree, from the modules that own them: one batched lookup per kind.
import { contactIdsByName, contactsByIds } from '../customers/lookup.service.js';
import { staffByIds, staffIdsByName } from '../identity/lookup.service.js';
import type { ShareOwnerKind, ShareOwnerRef } from './lookup.service.js';

export const ownerKeyOf = (owner: { kind: string; id: string }) => `${owner.kind}:${owner.id}`;

/** How an anonymous or unverified person is shown: a label and a short, stable part of their id. */
export function anonymousName(kind: ShareOwnerKind, id: string): string {
  const short = id.replace(/[^A-Za-z0-9]/g, '').slice(-6);
  return kind === 'visitor' ? `访客${short}` : `微信用户${short}`;
}

/** `kind:id` → name for every owner given. */
export async function namesOf(owners: Iterable<ShareOwnerRef>): Promise<Map<string, string>> {
  const list = [...owners];
  const ids = (kind: ShareOwnerKind) => list.filter((owner) => owner.kind === kind).map((owner) => owner.id);
  const [contacts, staff] = await Promise.all([contactsByIds(ids('contact')), staffByIds(ids('staff'))]);
  const names = new Map<string, string>();
  for (const owner of list) {
    const known = owner.kind === 'contact' ? contacts.get(owner.id)?.name : owner.kind === 'staff' ? staff.get(owner.id)?.name : undefined;
    names.set(ownerKeyOf(owner), known ?? (owner.kind === 'contact' ? '已删除的联系人' : owner.kind === 'staff' ? '已删除的员工' : anonymousName(owner.kind, owner.id)));
  }
  return names;
}

/** People whose name contains `q`: contacts and staff (anonymous visitors by their shown name). */
export async function ownersNamed(q: string): Promise<ShareOwnerRef[]> {
  const [contacts, staff] = await Promise.all([contactIdsByName(q), staffIdsByName(q)]);
  return [...contacts.map((id) => ({ kind: 'contact' as const, id })), ...staff.map((id) => ({ kind: 'staff' as const, id }))];
}
