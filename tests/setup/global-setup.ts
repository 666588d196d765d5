import fs from "node:fs";
import path from "node:path";

// Integration and browser tests run the real production build: `npm test` builds before Vitest.
export default function globalSetup() {
  if (!fs.existsSync(path.resolve("build/server/index.js"))) {
    throw new Error("build/server/index.js is missing: run `npm run build` (npm test does) before Vitest");
  }
  fs.rmSync(path.resolve("data/test"), { recursive: true, force: true });
  fs.mkdirSync(path.resolve("data/test"), { recursive: true });
  fs.mkdirSync(path.resolve("test-results"), { recursive: true });
}
