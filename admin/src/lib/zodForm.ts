// antd forms validated with the shared zod schemas: one rule per field while typing, the whole
// schema (defaults, cross-field refinements) on submit, and the server's field errors afterwards.
import type { FormInstance, FormRule } from 'antd';
import { ApiError } from '../api/client';

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}
type SafeParseResult<T> = { success: true; data: T } | { success: false; error: { issues: readonly Issue[] } };
/** Anything with zod's safeParse. */
export interface Parser<T> {
  safeParse(value: unknown): SafeParseResult<T>;
}

/** antd rule running one field's schema; an untouched text field counts as ''. */
export function zodRule(schema: Parser<unknown>): FormRule {
  return {
    validator: async (_rule, value: unknown) => {
      const result = schema.safeParse(value === undefined || value === null ? '' : value);
      if (!result.success) throw new Error(result.error.issues[0]?.message ?? '填写内容不正确');
    },
  };
}

/** The texts of `keys` in `values`, '' for the untouched ones (as the schemas expect them). */
export function textValues<K extends string>(values: Partial<Record<K, string>>, keys: readonly K[]): Record<K, string> {
  return Object.fromEntries(keys.map((key) => [key, values[key] ?? ''])) as Record<K, string>;
}

function fieldName(path: readonly PropertyKey[]): Array<string | number> {
  return path.map((part) => (typeof part === 'number' ? part : String(part)));
}

/** Parses `values` with the schema; on failure shows every problem on its field and returns null. */
export function parseForm<T>(form: FormInstance, schema: Parser<T>, values: unknown): T | null {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const byField = new Map<string, { name: Array<string | number>; errors: string[] }>();
  for (const issue of result.error.issues) {
    const name = fieldName(issue.path);
    const key = name.join('.');
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(issue.message);
    byField.set(key, entry);
  }
  form.setFields([...byField.values()].filter((field) => field.name.length > 0));
  return null;
}

/** Puts a 400's `details` (dotted paths) on the form's fields; true when at least one was shown. */
export function showServerFieldErrors(form: FormInstance, error: unknown): boolean {
  if (!(error instanceof ApiError) || !error.details) return false;
  const fields = Object.entries(error.details).map(([path, message]) => ({
    name: path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
    errors: [message],
  }));
  form.setFields(fields);
  return fields.length > 0;
}
