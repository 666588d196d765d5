import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** What `npm run worker` runs: the worker as `npm run build` compiles it (vite.worker.config.ts). */
export const WORKER_SCRIPT = "scripts/worker.mjs";
const WORKER_BUILD = "build/worker/worker.js";
/** The product block's bundle, which the simulator's product pages run (vite.extensions.config.ts). */
const PRODUCT_BLOCK_BUILD = "build/extensions/product-sync-block.js";

/** Whether build/ (the app, the worker and the block) is newer than every file under app/ and extensions/. */
function buildIsCurrent(): boolean {
  const entries = [path.resolve("build/server/index.js"), path.resolve(WORKER_BUILD), path.resolve(PRODUCT_BLOCK_BUILD)];
  if (!entries.every((entry) => fs.existsSync(entry))) return false;
  const builtAt = Math.min(...entries.map((entry) => fs.statSync(entry).mtimeMs));
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((latest, item) => {
      const file = path.join(dir, item.name);
      return Math.max(latest, item.isDirectory() ? newest(file) : fs.statSync(file).mtimeMs);
    }, 0);
  return Math.max(newest(path.resolve("app")), newest(path.resolve("extensions"))) < builtAt;
}

/** Builds the app and the worker (npm run build) unless the build is current: the sandbox and benchmarks run what is deployed. */
export function ensureBuild() {
  if (buildIsCurrent()) return;
  console.log("Building the app (npm run build)…");
  const build = spawnSync("npm", ["run", "-s", "build"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
