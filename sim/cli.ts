// npm run sim -- [--port 4100] [--stores 3] [--products 500] [--variants 3] [--seed 1]
// Starts the simulator on its own and seeds stores: the first gets the catalogue. The app it
// signs webhooks and session tokens for comes from SHOPIFY_API_KEY / SHOPIFY_API_SECRET /
// SHOPIFY_APP_URL (defaults match the sandbox).
import { parseArgs } from "node:util";
import { startSimulator } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4100" },
    stores: { type: "string", default: "3" },
    products: { type: "string", default: "500" },
    variants: { type: "string", default: "3" },
    seed: { type: "string", default: "1" },
  },
});

const numbers = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Number(value)]));
for (const [key, value] of Object.entries(numbers)) {
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${key} must be a whole number, got ${values[key as keyof typeof values]}`);
    process.exit(1);
  }
}

const sim = await startSimulator({
  port: numbers.port,
  seed: numbers.seed,
  app: {
    apiKey: process.env.SHOPIFY_API_KEY ?? "tandem-sandbox",
    apiSecret: process.env.SHOPIFY_API_SECRET ?? "tandem-sandbox-secret",
    appUrl: process.env.SHOPIFY_APP_URL ?? "http://127.0.0.1:3000",
    handle: "tandem",
  },
});

console.log(`Shopify simulator on ${sim.origin}`);
for (let index = 1; index <= numbers.stores; index++) {
  const domain = `sim-store-${index}.myshopify.com`;
  await sim.control.createStore({ domain, locations: ["Warehouse", "Shop"] });
  if (index === 1 && numbers.products > 0) {
    await sim.control.seed(domain, { products: numbers.products, variantsPerProduct: numbers.variants, seed: numbers.seed });
  }
  const { accessToken } = await sim.control.install(domain);
  console.log(`  ${domain}  products=${index === 1 ? numbers.products : 0}  token=${accessToken}  admin=${sim.origin}/admin/${domain}/apps/tandem`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void sim.close().then(() => process.exit(0)));
