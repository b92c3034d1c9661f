// The house rule on module boundaries, read from the source: a module reaches another module's
// data only through that module's services — never by importing its `*.model.js`, never through a
// raw collection (`.collection(`) or a model looked up by name. A wrong count once came from that.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/modules');

/** `import … from '…'`, `export … from '…'`, side-effect `import '…'` and `import('…')`. */
const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;
const RAW_ACCESS: Array<[RegExp, string]> = [
  // `.collection(` and the typed `.collection<T>(`.
  [/\.collection\s*(?:<[^>]*>\s*)?\(/, 'raw collection (.collection()'],
  [/\bmongoose\.models\b/, 'model looked up by name (mongoose.models)'],
  [/\.model\s*\(\s*['"][^'"]+['"]\s*\)/, "model looked up by name (.model('Name'))"],
];

/** The module a path lies in, or null outside server/src/modules. */
function moduleOf(file: string): string | null {
  const relative = path.relative(MODULES, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return relative.split(path.sep)[0] ?? null;
}

/** What is wrong with one source file of `server/src/modules`, one line per finding. */
function boundaryViolations(file: string, source: string): string[] {
  const own = moduleOf(file);
  const found: string[] = [];
  for (const match of source.matchAll(SPECIFIERS)) {
    const specifier = match[1]!;
    if (!specifier.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), specifier);
    const other = moduleOf(target);
    if (other && other !== own && /\.model(\.[cm]?[jt]s)?$/.test(target)) found.push(`imports ${other}'s model ${specifier}`);
  }
  for (const [pattern, what] of RAW_ACCESS) if (pattern.test(source)) found.push(what);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.[cm]?ts$/.test(entry.name) ? [full] : [];
  });
}

describe('module boundaries', () => {
  it('no module imports another module’s models or reaches for raw collections', () => {
    const files = sourceFiles(MODULES);
    // The walk really reads the modules (an empty list would pass anything).
    expect([...new Set(files.map(moduleOf))]).toEqual(expect.arrayContaining(['customers', 'identity', 'notifications', 'service']));
    const violations = files.flatMap((file) =>
      boundaryViolations(file, readFileSync(file, 'utf8')).map((finding) => `${path.relative(MODULES, file)}: ${finding}`),
    );
    expect(violations).toEqual([]);
  });

  it('catches each kind of violation, and lets a module use its own models and others’ services', () => {
    const file = path.join(MODULES, 'service', 'example.ts');
    const check = (source: string) => boundaryViolations(file, source);
    expect(check("import { Staff } from '../identity/staff.model.js';")).toEqual(["imports identity's model ../identity/staff.model.js"]);
    expect(check("export { Contact } from '../customers/contact.model.js';")).toHaveLength(1);
    expect(check("const { Customer } = await import('../customers/customer.model.js');")).toHaveLength(1);
    expect(check("await mongoose.connection.collection('work_orders').countDocuments({});")).toEqual(['raw collection (.collection()']);
    expect(check("mongoose.connection.collection<{ _id: string }>('settings')")).toEqual(['raw collection (.collection()']);
    expect(check("const Staff = mongoose.model('Staff');")).toHaveLength(1);
    expect(check('const model = mongoose.models.Staff;')).toHaveLength(1);

    expect(check("import { WorkOrder } from './work-order.model.js';")).toEqual([]);
    expect(check("import { staffByIds } from '../identity/lookup.service.js';")).toEqual([]);
    expect(check("export const WorkOrder = mongoose.model('WorkOrder', workOrderSchema, 'work_orders');")).toEqual([]);
  });
});
