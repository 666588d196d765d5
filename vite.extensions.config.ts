// The admin UI extensions' bundles (`npm run build` builds them after the worker), as the Shopify CLI
// would bundle each module: Preact and the Polaris web components' bindings inlined, one ES module
// per extension in build/extensions/<folder>.js. The simulator's admin serves them on its product
// pages (sim/admin-extensions.ts); `shopify app deploy` builds its own.
import path from "node:path";
import { defineConfig } from "vite";

const EXTENSION = path.resolve(import.meta.dirname, "extensions/product-sync-block");

export default defineConfig({
  root: EXTENSION,
  build: {
    outDir: path.resolve(import.meta.dirname, "build/extensions"),
    emptyOutDir: true,
    lib: { entry: path.join(EXTENSION, "src/BlockExtension.tsx"), formats: ["es"], fileName: () => "product-sync-block.js" },
  },
  publicDir: false,
  logLevel: "warn",
});
