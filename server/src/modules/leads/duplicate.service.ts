// Duplicate check (撞单分析) against leads and customers. Candidates come from keys kept in
// `search_terms` (refs `dl:<leadId>` and `dc:<customerId>`, keys `dup:<key>` from shared
// `duplicateKeys`): indexed equalities, never a scan. They are then scored with `scoreDuplicate`
// under the admin's rules (setting `duplicate-rules`). Contact details of records the viewer may
// not see are masked; the owner's name stays (that is who to talk to).
import {
  defaultDuplicateSettings,
  duplicateKeys,
  duplicateLookupKeys,
  duplicateSettingsSchema,
  maskEmail,
  maskPhone,
  scoreDuplicate,
  type DuplicateCandidate,
  type DuplicateCheckResult,
  type DuplicateField,
  type DuplicateMatch,
  type DuplicateRule,
  type DuplicateSettings,
} from '@qiao/shared';
import { SearchTerm, removeSearchKeys, setSearchKeys } from '../../lib/search.js';
import { readSetting, writeSetting } from '../../lib/settings.js';
import { customerDuplicateSources, storeCustomerDuplicateKeys, type CustomerDuplicateSource } from '../customers/duplicate.reads.js';
import { staffByIds } from '../identity/lookup.service.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { departmentScopeIds } from '../org/scope.js';
import { leadVisibility } from './lead-visibility.js';
import { Lead, type LeadDoc } from './lead.model.js';

export type { DuplicateCheckResult, DuplicateMatch } from '@qiao/shared';

export const DUPLICATE_SETTING = 'duplicate-rules';
const LEAD_REF = 'dl:';
const CUSTOMER_REF = 'dc:';
const KEY_TAG = 'dup:';
/** Refs read per key: a bigram shared by thousands of names says little, and the best are kept anyway. */
const PER_KEY_CAP = 300;
/** Candidates scored per check: those sharing the most keys. */
const SCORED_CAP = 400;
/** Matches answered, best first. */
const MATCHES_CAP = 20;

export const readDuplicateSettings = (): Promise<DuplicateSettings> =>
  readSetting(DUPLICATE_SETTING, duplicateSettingsSchema, defaultDuplicateSettings);

export async function saveDuplicateSettings(settings: DuplicateSettings, staffId: string): Promise<DuplicateSettings> {
  await writeSetting(DUPLICATE_SETTING, settings, staffId);
  return readDuplicateSettings();
}

// ---- key upkeep ----

/** Re-derive a lead's keys from what is stored (after every write of company, name, phone, email). */
export async function refreshLeadDuplicateKeys(leadId: string): Promise<void> {
  const doc = await Lead.findById(leadId, { company: 1, name: 1, phone: 1, email: 1 }).lean<DuplicateCandidate>();
  if (!doc) return removeSearchKeys(`${LEAD_REF}${leadId}`);
  const keys = duplicateKeys(doc);
  await setSearchKeys({ ref: `${LEAD_REF}${leadId}`, keys: keys.map((key) => `${KEY_TAG}${key}`) });
  await Lead.updateOne({ _id: leadId }, { $set: { dupKeys: keys } }, { timestamps: false });
}

/** The records a customer is compared as: the company with its own phone, and each contact. */
function customerFaces(source: CustomerDuplicateSource): DuplicateCandidate[] {
  return [
    { company: source.name, phone: source.phone },
    ...source.contacts.map((contact) => ({ company: source.name, name: contact.name, phone: contact.phone })),
  ];
}

/** Keys of a customer: its name and phone, its contacts' names and phones. */
export function customerDuplicateKeys(source: CustomerDuplicateSource): string[] {
  return [...new Set(customerFaces(source).flatMap((face) => duplicateKeys(face)))];
}

/** Re-derive a customer's keys (called on every customer and contact write). */
export async function refreshCustomerDuplicateKeys(customerId: string): Promise<void> {
  const [source] = await customerDuplicateSources([customerId]);
  if (!source) return removeSearchKeys(`${CUSTOMER_REF}${customerId}`);
  const keys = customerDuplicateKeys(source);
  await setSearchKeys({ ref: `${CUSTOMER_REF}${customerId}`, keys: keys.map((key) => `${KEY_TAG}${key}`) });
  await storeCustomerDuplicateKeys(customerId, keys);
}

// ---- the check ----

interface Candidates {
  leadIds: string[];
  customerIds: string[];
}

async function findCandidates(keys: string[], excludeLeadId?: string, excludeCustomerId?: string): Promise<Candidates> {
  const rows = await Promise.all(
    keys.map((key) => SearchTerm.find({ key: `${KEY_TAG}${key}` }, { ref: 1 }).limit(PER_KEY_CAP).lean<Array<{ ref: string }>>()),
  );
  const shared = new Map<string, number>();
  for (const list of rows) for (const { ref } of list) shared.set(ref, (shared.get(ref) ?? 0) + 1);
  const best = [...shared.entries()].sort((a, b) => b[1] - a[1]).slice(0, SCORED_CAP).map(([ref]) => ref);
  const ids = (prefix: string, exclude?: string) =>
    best.filter((ref) => ref.startsWith(prefix)).map((ref) => ref.slice(prefix.length)).filter((id) => id !== exclude);
  return { leadIds: ids(LEAD_REF, excludeLeadId), customerIds: ids(CUSTOMER_REF, excludeCustomerId) };
}

type Scored = { score: number; fields: DuplicateField[] };

/** The best of several faces: most fields matched, then the highest score. */
function bestScore(candidate: DuplicateCandidate, faces: DuplicateCandidate[], rules: DuplicateRule[]): Scored & { face: DuplicateCandidate | null } {
  let best: Scored & { face: DuplicateCandidate | null } = { score: 0, fields: [], face: null };
  for (const face of faces) {
    const { score, matches } = scoreDuplicate(candidate, face, rules);
    if (matches.length === 0) continue;
    if (matches.length > best.fields.length || (matches.length === best.fields.length && score > best.score)) {
      best = { score, fields: matches.map((match) => match.field), face };
    }
  }
  return best;
}

/** A customer the viewer may see — the rule of the sales data permissions (admin, manager's subtree, owner or collaborator). */
function customerVisibleTo(viewer: StaffPrincipal, scope: string[] | null) {
  return (doc: CustomerDuplicateSource): boolean => {
    if (viewer.role === 'admin') return true;
    if (viewer.role === 'manager') return scope === null || scope.includes(doc.department);
    if (viewer.role === 'sales') return doc.ownerId === viewer.staffId || doc.collaboratorIds.includes(viewer.staffId);
    return false;
  };
}

interface RawMatch {
  kind: 'lead' | 'customer';
  id: string;
  company: string;
  name: string;
  phone: string;
  email: string;
  ownerId: string | null;
  status: string;
  createdAt: Date;
  visible: boolean;
  scored: Scored;
}

function present(raw: RawMatch, show: Set<string>, ownerName: string | null): DuplicateMatch {
  const masked = !raw.visible;
  return {
    kind: raw.kind,
    id: raw.id,
    company: show.has('company') ? raw.company : '',
    name: show.has('name') ? raw.name : '',
    phone: show.has('phone') ? (masked ? maskPhone(raw.phone) : raw.phone) : '',
    email: show.has('email') ? (masked ? maskEmail(raw.email) : raw.email) : '',
    ownerId: show.has('owner') ? raw.ownerId : null,
    ownerName: show.has('owner') ? ownerName : null,
    status: show.has('status') ? raw.status : '',
    createdAt: show.has('createdAt') ? raw.createdAt.toISOString() : null,
    score: raw.scored.score,
    fields: raw.scored.fields,
    masked,
  };
}

/**
 * The leads and customers `candidate` conflicts with under the configured rules, best first.
 * `excludeLeadId` / `excludeCustomerId`: the record being edited is no duplicate of itself.
 */
export async function checkDuplicates(
  candidate: DuplicateCandidate,
  options: { viewer: StaffPrincipal; excludeLeadId?: string; excludeCustomerId?: string; settings?: DuplicateSettings },
): Promise<DuplicateCheckResult> {
  return (await runDuplicateCheck(candidate, options)).result;
}

/** The check and the refusal's message: `与已有线索撞单：蓝鲸科技（负责人：张三）` from the best match. */
export async function runDuplicateCheck(
  candidate: DuplicateCandidate,
  options: { viewer: StaffPrincipal; excludeLeadId?: string; excludeCustomerId?: string; settings?: DuplicateSettings },
): Promise<{ result: DuplicateCheckResult; message: string }> {
  const settings = options.settings ?? (await readDuplicateSettings());
  const keys = duplicateLookupKeys(candidate, settings.rules);
  if (keys.length === 0) return { result: { conflict: false, allowSave: settings.allowSave, matches: [] }, message: '' };
  const { leadIds, customerIds } = await findCandidates(keys, options.excludeLeadId, options.excludeCustomerId);
  const [leads, customers, visibility, scope] = await Promise.all([
    leadIds.length > 0 ? Lead.find({ _id: { $in: leadIds } }).lean<LeadDoc[]>() : Promise.resolve([]),
    customerDuplicateSources(customerIds),
    leadVisibility(options.viewer),
    departmentScopeIds(options.viewer),
  ]);
  const customerVisible = customerVisibleTo(options.viewer, scope);
  const raw: RawMatch[] = [];
  for (const lead of leads) {
    const scored = bestScore(candidate, [lead], settings.rules);
    if (scored.fields.length === 0) continue;
    raw.push({
      kind: 'lead',
      id: String(lead._id),
      company: lead.company ?? '',
      name: lead.name,
      phone: lead.phone ?? '',
      email: lead.email ?? '',
      ownerId: lead.ownerId ?? null,
      status: lead.status ?? 'new',
      createdAt: new Date(lead.createdAt),
      visible: visibility.canSee(lead),
      scored,
    });
  }
  for (const customer of customers) {
    const scored = bestScore(candidate, customerFaces(customer), settings.rules);
    if (!scored.face) continue;
    raw.push({
      kind: 'customer',
      id: customer.id,
      company: customer.name,
      name: scored.face.name ?? '',
      phone: scored.face.phone ?? '',
      email: '',
      ownerId: customer.ownerId,
      status: customer.ownerId ? 'owned' : 'pool',
      createdAt: new Date(customer.createdAt),
      visible: customerVisible(customer),
      scored,
    });
  }
  raw.sort((a, b) => b.scored.score - a.scored.score || b.scored.fields.length - a.scored.fields.length || b.createdAt.getTime() - a.createdAt.getTime());
  const top = raw.slice(0, MATCHES_CAP);
  const owners = await staffByIds(top.map((match) => match.ownerId));
  const ownerName = (match: RawMatch) => (match.ownerId ? (owners.get(match.ownerId)?.name ?? null) : null);
  const show = new Set<string>(settings.showFields);
  const matches = top.map((match) => present(match, show, ownerName(match)));
  return { result: { conflict: matches.length > 0, allowSave: settings.allowSave, matches }, message: messageOf(top, ownerName) };
}

function messageOf(matches: RawMatch[], ownerName: (match: RawMatch) => string | null): string {
  const first = matches[0];
  if (!first) return '';
  const kinds = new Set(matches.map((match) => match.kind));
  const kind = kinds.size > 1 ? '线索/客户' : first.kind === 'lead' ? '线索' : '客户';
  const title = first.company || first.name;
  const owner = ownerName(first) ?? (first.kind === 'customer' ? '公海' : '未分配');
  const more = matches.length > 1 ? `等 ${matches.length} 条记录` : '';
  return `与已有${kind}撞单：${title}（负责人：${owner}）${more}`;
}
