// Groups of the file that name a customer we already have (已追加到现有客户): by its customer code
// exactly, or — without a code — by the duplicate check finding exactly one existing customer the
// admin's rules call a duplicate. Such a group's contacts and devices are added to that customer;
// the customer's own fields (and its owner) stay as they are, so no cap applies. Refused instead:
// several candidates (named), a customer the importer may not edit (数据权限: a salesperson only
// their own or shared customers), a contact whose phone the customer already has, and a second
// group of the file for the same customer.
import { customerVisibility } from '../customers/customer-visibility.js';
import { contactPhonesOf, customersToAttach, type AttachableCustomer } from '../customers/import.writes.js';
import type { Importer } from './import.files.js';
import { customersNamed } from './import.links.js';
import { firstRow, type CustomerGroup } from './rows.js';

/** Existing customer id → the first row of the group of this import added to it. */
export type AttachedSoFar = Map<string, number>;

export const attachMessage = (customer: Pick<AttachableCustomer, 'code' | 'name'>) => `已追加到现有客户 ${customer.code} ${customer.name}（客户资料和专管业务员不变）`;

function fault(group: CustomerGroup, row: number, reason: string): void {
  const list = group.errors.get(row) ?? [];
  if (!list.includes(reason)) list.push(reason);
  group.errors.set(row, list);
}

/** Why the importer may not add to this customer (data scope of the customer module). */
function refusal(importer: Importer, customer: AttachableCustomer, byCode: boolean): string {
  // By code the importer named it: the name is not told. By 撞单 the check names it anyway.
  const which = byCode ? `客户编码 ${customer.code} 对应的客户` : `与现有客户 ${customer.code} ${customer.name} 撞单，该客户`;
  if (importer.role === 'sales') {
    return customer.ownerId ? `${which}属于其他业务员，不能向其追加联系人或设备` : `${which}在公海中，请先申领再导入`;
  }
  return `${which}不在您管理的部门内，不能向其追加联系人或设备`;
}

/**
 * Decides, for the valid groups of one batch, which are added to an existing customer (sets
 * `group.attach`) and which are refused; the rest are new customers. `duplicates`: per group (its
 * new customer's id) the existing customers the duplicate check matched, best first.
 */
export async function settleAttachments(
  importId: string,
  importer: Importer,
  groups: CustomerGroup[],
  groupId: (group: CustomerGroup) => string,
  derivedContactId: (row: number) => string,
  duplicates: Map<string, string[]>,
  attachedSoFar: AttachedSoFar,
): Promise<void> {
  const chosen = new Map<CustomerGroup, { customerId: string; byCode: boolean }>();
  const ambiguous = new Map<CustomerGroup, string[]>();
  for (const group of groups) {
    const matches = duplicates.get(groupId(group)) ?? [];
    if (group.codeHolder) chosen.set(group, { customerId: group.codeHolder, byCode: true });
    else if (matches.length === 1 && !group.customer.code) chosen.set(group, { customerId: matches[0]!, byCode: false });
    else if (matches.length > 0) ambiguous.set(group, matches);
  }
  const [targets, named, phones, visibility] = await Promise.all([
    customersToAttach([...chosen.values()].map((c) => c.customerId)),
    customersNamed([...ambiguous.values()].flat()),
    contactPhonesOf([...chosen.values()].map((c) => c.customerId)),
    chosen.size > 0 ? customerVisibility(importer) : null,
  ]);
  const label = (id: string) => {
    const customer = named.get(id);
    return customer ? `${customer.code} ${customer.name}` : id;
  };
  for (const [group, matches] of ambiguous) {
    // A new code says the group is another customer than the one it resembles: 撞单 as before.
    const reason = group.customer.code
      ? `撞单：与客户 ${label(matches[0]!)} 重复`
      : `撞单：与多个现有客户相似（${matches.slice(0, 5).map(label).join('、')}${matches.length > 5 ? ' 等' : ''}），无法确定追加到哪一个，请填写客户编码`;
    fault(group, firstRow(group), reason);
  }
  for (const [group, { customerId, byCode }] of chosen) {
    const row = firstRow(group);
    const target = targets.get(customerId);
    if (!target) {
      fault(group, row, '要追加到的客户已被删除，请核对后重新导入');
      continue;
    }
    // A customer this import created resembles the group: two customers of the file that are one.
    if (target.importId === importId) {
      fault(group, row, `撞单：与本文件导入的客户 ${target.code} ${target.name} 重复`);
      continue;
    }
    if (!visibility?.canSee(target)) {
      fault(group, row, refusal(importer, target, byCode));
      continue;
    }
    const earlier = attachedSoFar.get(customerId);
    if (earlier !== undefined && earlier !== row) {
      fault(group, row, `第 ${earlier} 行起的客户已追加到现有客户 ${target.code}：同一客户的行请写在一起（填写相同的客户编码）`);
      continue;
    }
    const existing = phones.get(customerId);
    for (const contact of group.contacts) {
      const holder = existing?.get(contact.phone);
      // A contact this import wrote before a crash is its own, not one the customer had.
      if (holder && holder !== derivedContactId(contact.row)) fault(group, contact.row, `联系人手机 ${contact.phone} 已是客户 ${target.code} 的联系人`);
    }
    if (group.errors.size > 0) continue;
    group.attach = { customerId, code: target.code, name: target.name, department: target.department };
    attachedSoFar.set(customerId, row);
  }
}
