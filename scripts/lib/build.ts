import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** Whether build/ is newer than every file under app/. */
function buildIsCurrent(): boolean {
  const entry = path.resolve("build/server/index.js");
  if (!fs.existsSync(entry)) return false;
  const builtAt = fs.statSync(entry).mtimeMs;
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((latest, item) => {
      const file = path.join(dir, item.name);
      return Math.max(latest, item.isDirectory() ? newest(file) : fs.statSync(file).mtimeMs);
    }, 0);
  return newest(path.resolve("app")) < builtAt;
}

/** Builds the app (npm run build) unless the build is current: the sandbox and benchmarks run the real server. */
export function ensureBuild() {
  if (buildIsCurrent()) return;
  console.log("Building the app (npm run build)…");
  const build = spawnSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
