import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["app/**/*.test.ts", "sim/**/*.test.ts", "scripts/**/*.test.ts", "tests/**/*.test.ts"],
    setupFiles: ["tests/setup/setup-test-env.ts"],
    globalSetup: ["tests/setup/global-setup.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    // expect.poll waits on a state (a page rendered, a row counted): 1 s by default, which a
    // loaded 2-core machine can take just to load a page. The state decides, not the machine.
    expect: { poll: { timeout: 20_000, interval: 50 } },
    hookTimeout: 60_000,
    allowOnly: !process.env.CI,
  },
});
