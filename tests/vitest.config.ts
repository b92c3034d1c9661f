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
    // Pages load lazily and the machine may be busy: a browser assertion waits up to 15 s for the
    // page to get there (vitest's default of 1 s made the loop flaky under load).
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
