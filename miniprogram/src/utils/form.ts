import { ApiError } from '../api/request';

/** A field path (`contactPhone`, `parts.0.name`) → the first Chinese message for it. */
export type FieldErrors = Record<string, string>;

interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

/** The part of a zod schema used by forms (zod itself stays a dependency of @qiao/shared only). */
export interface FormSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: readonly Issue[] } };
}

export type Checked<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Validates a form with its shared schema; errors keyed by dotted path. */
export function check<T>(schema: FormSchema<T>, value: unknown): Checked<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    // Schemas without a Chinese message fall back to zod's English one: never show that.
    errors[key] ??= /[\u4e00-\u9fff]/.test(issue.message) ? issue.message : '填写的内容格式不正确';
  }
  return { ok: false, errors };
}

/** Field errors a server `VALIDATION_FAILED` answer carries (empty for other errors). */
export function serverFieldErrors(error: unknown): FieldErrors {
  return error instanceof ApiError ? { ...error.details } : {};
}

/** First error for a field or anything under it (`parts` → `parts.0.name`). */
export function errorUnder(errors: FieldErrors, prefix: string): string | undefined {
  if (errors[prefix]) return errors[prefix];
  const key = Object.keys(errors).find((name) => name.startsWith(`${prefix}.`));
  return key ? errors[key] : undefined;
}

/** Drops the error of a field the person has just changed. */
export function without(errors: FieldErrors, key: string): FieldErrors {
  if (!(key in errors)) return errors;
  const next = { ...errors };
  delete next[key];
  return next;
}
