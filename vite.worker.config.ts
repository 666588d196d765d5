// The worker compiled for production (`npm run build` builds it after the app): plain Node ES
// modules in build/worker/, its npm packages left external. Run this way, the worker does not load
// tsx's TypeScript compiler, which took about 32 MiB of every worker's memory (docs/performance.md).
import { defineConfig } from "vite";

export default defineConfig({
  build: {
    ssr: "app/jobs/worker.ts",
    outDir: "build/worker",
    emptyOutDir: true,
    target: "node20",
    sourcemap: true,
    // Chunks beside worker.js (not in assets/), two folders deep like build/server/index.js: paths
    // the code resolves from its own location (prisma/migrations, in app/db) hold in the build as in
    // the source. The worker's dynamic imports stay chunks, so that they load after it reads .env.
    rollupOptions: { output: { entryFileNames: "worker.js", chunkFileNames: "[name]-[hash].js", format: "es" } },
  },
  publicDir: false,
  logLevel: "warn",
});
