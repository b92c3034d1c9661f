// What a benchmark's work sends to the database: mongoose statements by method and collection,
// and how many documents they carry. Shared by the Official Account and tracking benches.
import mongoose from 'mongoose';

export type StatementCounts = Map<string, { statements: number; documents: number }>;

/** Counts every statement mongoose sends from now until `stop()`, which returns the counts. */
export function countStatements(): { stop(): StatementCounts } {
  const statements: StatementCounts = new Map();
  mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
    const key = `${method} ${collection}`;
    const seen = statements.get(key) ?? { statements: 0, documents: 0 };
    seen.statements += 1;
    seen.documents += Array.isArray(args[0]) ? args[0].length : 1;
    statements.set(key, seen);
  });
  return {
    stop() {
      mongoose.set('debug', false);
      return statements;
    },
  };
}
