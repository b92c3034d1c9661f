import { defineConfig } from 'vitest/config';

// Pure rules, no I/O. The same worker count as the other projects: vitest runs projects of one
// order group together and refuses groups whose projects differ in it.
export default defineConfig({ test: { name: 'shared', include: ['test/**/*.test.ts'], maxWorkers: 2 } });
