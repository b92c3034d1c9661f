// Database helpers every module needs: recognising a unique-index refusal and a well-formed id.

/**
 * A unique index refused the write. MongoDB and FerretDB inserts say 11000; FerretDB (SQLite)
 * updates say code 1 with SQLite's "UNIQUE constraint failed" in the message. This is the one
 * place that knows it: every "only once" write relies on it.
 */
export function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: number; message?: string } | null;
  return e?.code === 11000 || /E11000|UNIQUE constraint failed/.test(e?.message ?? '');
}

/** A 24-hex-digit ObjectId string (mongoose's own check also accepts any 12-character string). */
export function isObjectIdString(id: unknown): id is string {
  return typeof id === 'string' && /^[a-f0-9]{24}$/.test(id);
}
