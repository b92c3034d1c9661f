// 撞单 within one file: two customer groups that the duplicate check (撞单分析) would call one — by
// the admin's rules and the shared scoring (shared/src/duplicates.ts), the same as against the
// database — and not only an exactly equal company core. The later group is refused, naming the
// earlier one. Candidates come from the same keys the database check looks up, kept in memory;
// a company-bigram candidate is scored only when it shares enough bigrams to reach the threshold
// (a bigram such as 重工 is shared by half a file and must not make every pair a candidate).
import { companyParts, duplicateKeys, duplicateLookupKeys, scoreDuplicate, type DuplicateCandidate, type DuplicateRule } from '@qiao/shared';
import type { CustomerGroup } from './rows.js';

const companyOf = (group: CustomerGroup) => group.customer.name || group.rows[0]!.values.name;

/** The records a group is compared as besides its company: its own phone, and each contact (as the check does). */
function facesOf(group: CustomerGroup): DuplicateCandidate[] {
  return [{ phone: group.customer.phone }, ...group.contacts.map((c) => ({ name: c.name, phone: c.phone }))];
}

function bigramCount(name: string): number {
  const core = Array.from(companyParts(name).core);
  const grams = new Set<string>();
  for (let i = 0; i + 1 < core.length; i += 1) grams.add(core[i]! + core[i + 1]!);
  return grams.size;
}

const matches = (a: DuplicateCandidate, b: DuplicateCandidate, rules: DuplicateRule[]) => scoreDuplicate(a, b, rules).matches.length > 0;

export function markInFileDuplicates(groups: CustomerGroup[], rules: DuplicateRule[]): void {
  const companyRule = rules.find((rule) => rule.field === 'company');
  const otherRules = rules.filter((rule) => rule.field !== 'company');
  const companyRules = companyRule ? [companyRule] : [];
  const faces = groups.map(facesOf);
  const grams = groups.map((group) => bigramCount(companyOf(group)));
  const byKey = new Map<string, number[]>();
  const shared = new Int32Array(groups.length);
  for (const group of groups) {
    const i = group.index;
    const company = companyOf(group);
    const mine: DuplicateCandidate[] = [{ company }, ...faces[i]!];
    const strong = new Set<number>();
    const touched: number[] = [];
    for (const face of mine) {
      for (const key of duplicateLookupKeys(face, rules)) {
        for (const j of byKey.get(key) ?? []) {
          if (!key.startsWith('c2:')) strong.add(j);
          else if ((shared[j]! += 1) === 1) touched.push(j);
        }
      }
    }
    const candidates = new Set(strong);
    for (const j of touched) {
      // Dice of the cores can reach the threshold only with this many shared bigrams.
      if (companyRule && (2 * shared[j]!) / Math.max(1, grams[i]! + grams[j]!) >= companyRule.threshold) candidates.add(j);
      shared[j] = 0;
    }
    const earlier = [...candidates].sort((a, b) => a - b).find((j) => {
      const other = groups[j]!;
      if (companyRule && matches({ company }, { company: companyOf(other) }, companyRules)) return true;
      return otherRules.length > 0 && faces[i]!.some((face) => faces[j]!.some((theirs) => matches(face, theirs, otherRules)));
    });
    if (earlier !== undefined) {
      const first = groups[earlier]!;
      const row = group.rows[0]!.row;
      const reason = `撞单：与本文件第 ${first.rows[0]!.row} 行的客户 ${companyOf(first)} 重复`;
      const list = group.errors.get(row) ?? [];
      if (!list.includes(reason)) list.push(reason);
      group.errors.set(row, list);
    }
    for (const key of new Set(mine.flatMap((face) => duplicateKeys(face)))) {
      const holders = byKey.get(key) ?? [];
      holders.push(i);
      byKey.set(key, holders);
    }
  }
}
