// Mutation testing (npm run test:mutation; docs/testing.md), in two scopes with their own
// incremental files: MUTATION_SCOPE=sync is app/sync, the short run npm test includes; "rest" is
// the other folders that bear rules. npm run test:mutation runs both.
const scopes = {
  sync: ["app/sync/**/*.ts"],
  rest: ["app/webhooks/**/*.ts", "app/network/**/*.ts", "app/services/network.server.ts", "app/billing/**/*.ts"],
};
const scope = process.env.MUTATION_SCOPE === "rest" ? "rest" : "sync";
const targets = { sync: 90, rest: 75 };
const FLOORS = { sync: 90, rest: 85 };

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  checkers: ["typescript"],
  plugins: ["@stryker-mutator/*", "./scripts/stryker/ignore-logging.mjs"],
  ignorers: ["logging"],
  tsconfigFile: "tsconfig.mutation.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [...scopes[scope], "!**/*.test.ts"],
  coverageAnalysis: "perTest",
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `reports/mutation/${scope}-incremental.json`,
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: `reports/mutation/${scope}.json` },
  // Reported against the scope's target (docs/testing.md); a run fails under its floor (at or
  // under the score reached so far), which rises as surviving mutants are killed.
  thresholds: { high: targets[scope], low: targets[scope] - 10, break: FLOORS[scope] },
  concurrency: 2,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
