import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/real/**/*.test.ts'],
    environment: 'node',
    // Real-process tests spawn and reap processes; keep them in one worker at a time per file.
    testTimeout: 20_000,
    reporters: ['default'],
  },
});
