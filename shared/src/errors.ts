import { z } from 'zod';

/** Every API error: a stable upper-case code for programs, a Chinese message for people. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    message: z.string(),
    /** Field-level problems of a rejected request, keyed by dotted path. */
    details: z.record(z.string(), z.string()).optional(),
    /** What a refusal concerns, for the caller to show (e.g. the records a duplicate check matched). */
    data: z.unknown().optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;
