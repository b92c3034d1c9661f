import { defineConfig } from 'vitest/config';

// One run over every workspace's tests; each project keeps its own setup.
export default defineConfig({
  test: {
    projects: ['shared', 'server', 'tests'],
  },
});
