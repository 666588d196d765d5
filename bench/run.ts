// npm run bench [-- NAME…]: runs the named benchmarks (all when none is named), each printing a
// table and writing bench/results/NAME.json.
import { runCatalogueBenchmark } from "./catalogue";
import { runCostBenchmark } from "./cost";
import { runScaleOutBenchmark } from "./scale-out";
import { runSimulatorBenchmark } from "./sim";
import { runStockBenchmark } from "./stock";
import { runWebhooksBenchmark } from "./webhooks";
import { runWritesBenchmark } from "./writes";

const benchmarks: Record<string, () => Promise<unknown>> = { catalogue: runCatalogueBenchmark, cost: runCostBenchmark, "scale-out": runScaleOutBenchmark, sim: runSimulatorBenchmark, stock: runStockBenchmark, webhooks: runWebhooksBenchmark, writes: runWritesBenchmark };

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !benchmarks[name]);
if (unknown.length > 0) {
  console.error(`Unknown benchmark: ${unknown.join(", ")} (known: ${Object.keys(benchmarks).join(", ")})`);
  process.exit(1);
}
for (const name of requested.length > 0 ? requested : Object.keys(benchmarks)) {
  console.log(`\n== ${name}`);
  await benchmarks[name]();
}
