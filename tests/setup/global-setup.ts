import fs from "node:fs";
import path from "node:path";

// Integration and browser tests run the real production build of the app and the worker: `npm test` builds before Vitest.
export default function globalSetup() {
  for (const entry of ["build/server/index.js", "build/worker/worker.js"]) {
    if (!fs.existsSync(path.resolve(entry))) throw new Error(`${entry} is missing: run \`npm run build\` (npm test does) before Vitest`);
  }
  fs.rmSync(path.resolve("data/test"), { recursive: true, force: true });
  fs.mkdirSync(path.resolve("data/test"), { recursive: true });
  fs.mkdirSync(path.resolve("test-results"), { recursive: true });
}
