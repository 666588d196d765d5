import { defineConfig } from "vitest/config";

// The tests StrykerJS runs against each mutant (npm run test:mutation): the ones that import the
// app's source. The integration suites under tests/ run the production build, which a mutant of
// the source never reaches, so they cannot kill one and are left out.
export default defineConfig({
  test: {
    include: ["app/**/*.test.ts"],
    setupFiles: ["tests/setup/setup-test-env.ts", "tests/setup/mutation-fast-check.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
