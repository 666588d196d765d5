// npm run worker: the worker as `npm run build` compiled it, without tsx (which took about 32 MiB of
// its memory), or one line saying what to do when the build is missing.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const entry = path.resolve(import.meta.dirname, "../build/worker/worker.js");
if (!fs.existsSync(entry)) {
  console.error("Build missing: run `npm run build` first (build/worker/worker.js not found)");
  process.exit(1);
}
await import(pathToFileURL(entry).href);
