// From sheet rows to customer groups: every row checked against the same schemas the console's
// forms use (shared/src/customers.ts), rows of one customer grouped by code (or name), and a group
// with any bad row refused whole — a customer is imported with all its rows or not at all.
import {
  contactInputSchema,
  customerInputSchema,
  importColumns,
  productArchiveInputSchema,
  type ImportColumnKey,
  type ImportRowValues,
} from '@qiao/shared';
import type { z } from 'zod';
import { normalizeSearchText } from '../../lib/search.js';
import type { SheetRow } from './workbook.js';

export interface CustomerFields {
  code: string;
  name: string;
  region: string;
  industry: string;
  grade: string;
  address: string;
  phone: string;
}

export interface ContactFields {
  row: number;
  name: string;
  phone: string;
  title: string;
}

export interface DeviceFields {
  row: number;
  serialNumber: string;
  model: string;
  productLine: string;
  installedAt: string;
  warrantyEndsAt: string;
  address: string;
}

export interface CustomerGroup {
  /** Position in the file (groups are settled in this order; the import's resume point counts them). */
  index: number;
  rows: SheetRow[];
  customer: CustomerFields;
  /** The owner's username as written ('' for none), and the row it was written on. */
  owner: string;
  ownerRow: number;
  contacts: ContactFields[];
  devices: DeviceFields[];
  /** Reasons by row number; any reason refuses the whole group. */
  errors: Map<number, string[]>;
  /** An existing customer (not of this import) holding the group's code: the group is added to it. */
  codeHolder?: string;
  /** Set once checked: the existing customer the group's contacts and devices are added to. */
  attach?: AttachTarget;
}

export interface AttachTarget {
  customerId: string;
  code: string;
  name: string;
  /** Contacts and devices carry their customer's department. */
  department: string;
}

const HEADERS = new Map<string, string>(importColumns.map((c) => [c.key, c.header.replace('*', '')]));
const CUSTOMER_KEYS = ['code', 'name', 'region', 'industry', 'grade', 'address', 'phone'] as const;
const CONTACT_KEYS = ['contactName', 'contactPhone', 'contactTitle'] as const;
const DEVICE_KEYS = ['model', 'productLine', 'serialNumber', 'installedAt', 'warrantyEndsAt', 'deviceAddress'] as const;
/** A placeholder customer id: contacts and devices are checked before their customer exists. */
const SOME_ID = '000000000000000000000000';

/** Schema fields → the template column they come from, for messages that name the column. */
const CONTACT_FIELD: Record<string, ImportColumnKey> = { name: 'contactName', phone: 'contactPhone', title: 'contactTitle' };
const DEVICE_FIELD: Record<string, ImportColumnKey> = {
  serialNumber: 'serialNumber',
  model: 'model',
  productLine: 'productLine',
  installedAt: 'installedAt',
  warrantyEndsAt: 'warrantyEndsAt',
  address: 'deviceAddress',
};

function issues(error: z.ZodError, columnOf: (field: string) => ImportColumnKey | undefined): string[] {
  return error.issues.map((issue) => {
    const column = columnOf(String(issue.path[0] ?? ''));
    const label = column ? HEADERS.get(column) : undefined;
    return label && !issue.message.includes(label) ? `${label}：${issue.message}` : issue.message;
  });
}

const codeKey = (v: ImportRowValues) => `code:${v.code.trim().toUpperCase()}`;
const nameKey = (v: ImportRowValues) => `name:${normalizeSearchText(v.name)}`;

function addError(group: CustomerGroup, row: number, reason: string): void {
  const list = group.errors.get(row) ?? [];
  if (!list.includes(reason)) list.push(reason);
  group.errors.set(row, list);
}

export function groupRows(rows: SheetRow[]): CustomerGroup[] {
  const list: CustomerGroup[] = [];
  const groups = new Map<string, CustomerGroup>();
  const serialRows = new Map<string, number>();
  for (const sheetRow of rows) {
    const v = sheetRow.values;
    // Rows of one customer: the same code, or without a code the same name (as compared).
    const key = v.code ? codeKey(v) : v.name ? nameKey(v) : `row:${sheetRow.row}`;
    let group = groups.get(key);
    if (!group) {
      group = { index: list.length, rows: [], customer: { code: '', name: '', region: '', industry: '', grade: '', address: '', phone: '' }, owner: v.owner, ownerRow: sheetRow.row, contacts: [], devices: [], errors: new Map() };
      list.push(group);
      groups.set(key, group);
      if (v.code && v.name && !groups.has(nameKey(v))) groups.set(nameKey(v), group);
      const parsed = customerInputSchema.safeParse({ ...Object.fromEntries(CUSTOMER_KEYS.map((k) => [k, v[k]])), department: '' });
      if (parsed.success) {
        const { department: _department, ...fields } = parsed.data;
        group.customer = { ...fields, code: fields.code.toUpperCase() };
      } else {
        group.customer.name = v.name;
        for (const reason of issues(parsed.error, (f) => (CUSTOMER_KEYS as readonly string[]).includes(f) ? (f as ImportColumnKey) : undefined)) addError(group, sheetRow.row, reason);
      }
      // Two customers of one file that are one company (撞单 within the file): in-file-duplicates.ts,
      // with the admin's duplicate rules.
    } else {
      const first = group.rows[0]!;
      // Later rows may leave the customer's columns empty; what they fill in must agree.
      for (const k of CUSTOMER_KEYS) {
        const same = k === 'code' ? v[k].toUpperCase() === first.values[k].toUpperCase() : v[k] === first.values[k];
        if (v[k] && !same) addError(group, sheetRow.row, `${HEADERS.get(k)}与第 ${first.row} 行同一客户填写的不一致`);
      }
      if (v.owner && v.owner !== group.owner) {
        if (group.owner) addError(group, sheetRow.row, `专管业务员与第 ${first.row} 行同一客户填写的不一致`);
        else {
          group.owner = v.owner;
          group.ownerRow = sheetRow.row;
        }
      }
    }
    group.rows.push(sheetRow);

    if (CONTACT_KEYS.some((k) => v[k])) {
      const parsed = contactInputSchema.safeParse({ customerId: SOME_ID, name: v.contactName, phone: v.contactPhone, title: v.contactTitle });
      if (parsed.success) {
        const twin = group.contacts.find((c) => c.phone === parsed.data.phone);
        if (twin) addError(group, sheetRow.row, `联系人手机 ${parsed.data.phone} 与第 ${twin.row} 行重复`);
        else group.contacts.push({ row: sheetRow.row, name: parsed.data.name, phone: parsed.data.phone, title: parsed.data.title });
      } else {
        for (const reason of issues(parsed.error, (f) => CONTACT_FIELD[f])) addError(group, sheetRow.row, reason);
      }
    }
    if (DEVICE_KEYS.some((k) => v[k])) {
      const parsed = productArchiveInputSchema.safeParse({
        serialNumber: v.serialNumber,
        model: v.model,
        productLine: v.productLine,
        customerId: SOME_ID,
        installedAt: v.installedAt,
        warrantyEndsAt: v.warrantyEndsAt,
        address: v.deviceAddress,
      });
      if (parsed.success) {
        const earlier = serialRows.get(parsed.data.serialNumber);
        if (earlier !== undefined) addError(group, sheetRow.row, `序列号 ${parsed.data.serialNumber} 与第 ${earlier} 行重复`);
        else {
          serialRows.set(parsed.data.serialNumber, sheetRow.row);
          group.devices.push({ row: sheetRow.row, ...parsed.data });
        }
      } else {
        for (const reason of issues(parsed.error, (f) => DEVICE_FIELD[f])) addError(group, sheetRow.row, reason);
      }
    }
  }
  return list;
}

/** The group's first row: the ids of its new customer and of its 已追加 manifest derive from it. */
export const firstRow = (group: CustomerGroup) => group.rows[0]!.row;

/** A group's rejection, row by row: rows without a fault of their own say why they were left out too. */
export function rejectionsOf(group: CustomerGroup): Array<{ row: number; reasons: string[]; values: ImportRowValues }> {
  const bad = [...group.errors.keys()].sort((a, b) => a - b);
  return group.rows.map((r) => ({
    row: r.row,
    values: r.values,
    reasons: group.errors.get(r.row) ?? [`同一客户的第 ${bad.join('、')} 行有错误，该客户整组未导入`],
  }));
}
