import { defineConfig } from 'vitest/config';

// Browser tests: each file boots the real server (embedded database, WeChat sandbox) and drives
// the built admin console / mini-program H5 in Debian's Chromium.
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['e2e/**/*.test.ts', 'build/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Chromium and a server per file: two at a time is what two cores carry.
    maxWorkers: 2,
  },
});
