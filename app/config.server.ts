import fs from "node:fs";
import { z } from "zod";
import { DEFAULT_API_VERSION, SUPPORTED_API_VERSIONS } from "./shopify/api-version";

/** A whole number from `min` (to `max`), with one message naming what it counts. */
function wholeNumber(byDefault: number, { min, max, of }: { min: number; max?: number; of: string }) {
  const message = `must be a whole number of ${of}, ${max === undefined ? `${min} or more` : `from ${min} to ${max}`}`;
  const number = z.coerce.number({ invalid_type_error: message }).int(message).min(min, message);
  return (max === undefined ? number : number.max(max, message)).default(byDefault);
}
const milliseconds = (byDefault: number) => wholeNumber(byDefault, { min: 0, of: "milliseconds" });

/**
 * Every setting Tandem reads from the environment, parsed once at start-up.
 * A missing or malformed value stops the process with one line naming it (see .env.example).
 */
const configSchema = z.object({
  SHOPIFY_API_KEY: z.string().min(1, "is required"),
  SHOPIFY_API_SECRET: z.string().min(1, "is required"),
  SHOPIFY_APP_URL: z.string().url("must be the app's public https URL"),
  // Protects connection keys at rest (lookup HMAC and encrypted copy). To rotate it, move the old
  // value to TANDEM_PREVIOUS_SECRETS: each key is protected again with the new one when it is next
  // shown or used. A key protected by no secret listed is replaced by a new one when next shown.
  TANDEM_SECRET: z.string().min(32, "must be at least 32 characters of random text (openssl rand -hex 32)"),
  // Earlier values of TANDEM_SECRET, comma-separated, newest first, kept while keys are re-protected.
  TANDEM_PREVIOUS_SECRETS: z
    .string()
    .regex(/^[^,]{32,}(,[^,]{32,})*$/, "must be earlier TANDEM_SECRET values (32+ characters each), comma-separated")
    .optional(),
  SCOPES: z
    .string()
    .min(1, "is required")
    .regex(/^[a-z_]+(,[a-z_]+)*$/, "must be a comma-separated list like read_products,write_products"),
  // A SQLite file (one machine) or a PostgreSQL server (several app and worker machines; ADR 0011).
  DATABASE_URL: z
    .string({ required_error: "is required" })
    .regex(/^(file:.+|postgres(ql)?:\/\/.+)/, "must be a SQLite file URL such as file:./data/tandem.sqlite or a PostgreSQL URL such as postgres://user:password@host:5432/tandem"),
  // The Admin API version every call uses: one of the versions Tandem speaks (app/shopify/api-version.ts).
  SHOPIFY_API_VERSION: z
    .enum(SUPPORTED_API_VERSIONS, { errorMap: () => ({ message: `must be an Admin API version Tandem speaks: ${SUPPORTED_API_VERSIONS.join(", ")}` }) })
    .default(DEFAULT_API_VERSION),
  // Points every Admin API call at another origin (the simulator): requests for shop X go to
  // {origin}/shops/X/admin/api/... instead of https://X/admin/api/...
  SHOPIFY_ADMIN_API_ORIGIN: z.string().url("must be a URL such as http://127.0.0.1:4100").optional(),
  // Serves App Bridge from somewhere other than Shopify's CDN (the simulator's stand-in, offline).
  APP_BRIDGE_SCRIPT_URL: z.string().url("must be the URL of an App Bridge script").optional(),
  // The app's handle in shopify.app.toml: part of its URL in the Shopify admin.
  SHOPIFY_APP_HANDLE: z.string().regex(/^[a-z0-9-]+$/, "must be the handle from shopify.app.toml").default("tandem"),
  // Billing API charges are test charges unless this is "false" (default: real charges only in
  // production against Shopify, never against the simulator).
  TANDEM_BILLING_TEST: z.enum(["true", "false"]).optional(),
  // How long finished rows are kept (days). Jobs: finished tasks (Recent tasks shows the latest).
  // Ledger: applied sales and restocks and mirrored orders; a refund of an order older than this
  // no longer returns its units to the primary (its sale is forgotten), so keep it above the
  // stores' refund window. Network: connection-key attempts and ended invitations.
  TANDEM_JOB_RETENTION_DAYS: z.coerce.number().int().min(1).default(14),
  TANDEM_LEDGER_RETENTION_DAYS: z.coerce.number().int().min(30).default(365),
  TANDEM_NETWORK_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  // Tuning of the sync and the worker (README "Configuration" says what each does and why its
  // default; the test of config.server checks that README lists exactly these settings).
  TANDEM_SYNC_DEBOUNCE_MS: milliseconds(2_000),
  TANDEM_SALE_GRACE_MS: milliseconds(10_000),
  TANDEM_SYNC_ALL_BATCH: wholeNumber(250, { min: 1, of: "products" }),
  TANDEM_BULK_WRITE_THRESHOLD: wholeNumber(10, { min: 1, of: "product writes" }),
  TANDEM_PRODUCT_BURST: wholeNumber(10, { min: 2, of: "product syncs" }),
  TANDEM_WORKER_CONCURRENCY: wholeNumber(4, { min: 1, max: 64, of: "jobs" }),
  TANDEM_JOB_LEASE_MS: wholeNumber(30_000, { min: 1_000, of: "milliseconds" }),
  TANDEM_WORKER_POLL_MS: wholeNumber(100, { min: 1, of: "milliseconds" }),
  TANDEM_RECONCILE_INTERVAL_MS: milliseconds(10 * 60_000),
  TANDEM_RECONCILE_BULK_POINTS: wholeNumber(1_000, { min: 0, of: "points" }),
  TANDEM_STOCK_PUSH_INTERVAL_MS: milliseconds(0),
  TANDEM_PRIMARY_LEVELS_MAX_AGE_MS: milliseconds(15 * 60_000),
  // A diagnostic (SQLite): the path each process writes its SQL statement counts to.
  TANDEM_SQL_STATS: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
});

export type Config = z.infer<typeof configSchema>;

/** The names of every setting: README's "Configuration" table and .env.example list exactly these. */
export const CONFIG_SETTINGS = Object.keys(configSchema.shape) as (keyof Config)[];

/** The secrets that may protect a stored connection key: the current one first, then earlier ones. */
export function secretRing(config: Config): string[] {
  return [config.TANDEM_SECRET, ...(config.TANDEM_PREVIOUS_SECRETS?.split(",") ?? [])];
}

export function billingTestMode(config: Config): boolean {
  if (config.TANDEM_BILLING_TEST) return config.TANDEM_BILLING_TEST === "true";
  return config.NODE_ENV !== "production" || config.SHOPIFY_ADMIN_API_ORIGIN !== undefined;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const result = configSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue.path[0]);
  const message = issue.code === "invalid_type" && issue.received === "undefined" ? "is required" : issue.message;
  throw new ConfigError(`Configuration error: ${name} ${message} (see .env.example)`);
}

let cached: Config | undefined;

export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/**
 * Entry points (server, worker, setup) read .env from the project root when present; variables
 * already set win. Tests set TANDEM_IGNORE_DOTENV so a developer's .env never leaks into them.
 */
export function loadDotenvFile(file = ".env") {
  if (!process.env.TANDEM_IGNORE_DOTENV && fs.existsSync(file)) process.loadEnvFile(file);
}
