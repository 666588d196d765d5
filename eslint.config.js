import js from "@eslint/js";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// What reaches the database: allowed in app/models and app/db only (see the layer rules below).
const databaseDrivers = [
  { name: "@prisma/client", allowTypeImports: true, message: "Database access lives in app/models (types may be imported)." },
  { name: "pg", message: "Database access lives in app/models and app/db." },
  { name: "better-sqlite3", message: "Database access lives in app/models and app/db." },
];
const databaseModules = [
  { group: ["**/db.server", "**/db/plain-sql.server", "**/db/prisma-client.server", "@prisma/adapter-*"], message: "Database access lives in app/models: call a model function." },
];

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", "test-results/**", "data/**", "bench/results/**", ".cache/**", ".stryker-tmp/**", "reports/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}", "scripts/**/*.mjs", "bench/**/*.mjs", "*.config.mjs"],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["app/**/*.tsx"],
    plugins: { react, "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    settings: { react: { version: "detect" } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs["jsx-runtime"].rules,
      ...reactHooks.configs.recommended.rules,
    },
  },
  // The layers (README "Architecture"): database access lives in app/models (and the engines'
  // plumbing in app/db); app/sync is pure; models depend on no layer above them.
  // app/lint-rules.test.ts proves each rule catches a violation.
  {
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/models/**", "app/db/**", "app/db.server.ts", "app/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: databaseDrivers,
        patterns: databaseModules,
      }],
    },
  },
  {
    // Routes authenticate, validate and call a service: no server module of app/models or app/jobs
    // (their pure modules, the queue's lane helpers and the log's list of actions, are fine).
    files: ["app/routes/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: databaseDrivers,
        patterns: [
          ...databaseModules,
          { group: ["../models/*.server", "../jobs/*.server"], message: "Routes call app/services (or app/billing), not models or jobs." },
        ],
      }],
    },
  },
  {
    files: ["app/sync/**/*.ts"],
    ignores: ["app/sync/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["../*", "!../i18n"], message: "app/sync is pure planning: it imports only app/sync, app/i18n and libraries without I/O." },
          { group: ["node:*", "@prisma/*", "pg", "better-sqlite3", "graphql-request", "pino", "@shopify/*", "@remix-run/*"], message: "app/sync is pure planning: no I/O." },
        ],
      }],
    },
  },
  {
    files: ["app/models/**/*.ts"],
    ignores: ["app/models/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["../jobs/*"], allowTypeImports: true, message: "Models do not depend on jobs (the queue's types may be imported)." },
          { group: ["../services/*", "../network/*", "../webhooks/*", "../routes/*", "../shopify/*", "../shopify.server", "../billing/*.server"], message: "Models do not depend on the layers above them." },
        ],
      }],
    },
  },
  {
    files: ["sim/public/**/*.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.browser } },
    rules: { "no-var": "off" },
  },
  {
    files: ["**/*.test.ts", "tests/**/*.ts"],
    rules: { "no-empty-pattern": "off" },
  },
);
