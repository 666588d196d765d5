// npm run bench: the performance benchmarks of issue 9 (cost per product, Sync all at scale,
// latency, memory, growth) will live here, each printing a table and writing bench/results/*.json.
console.log("No benchmarks yet: they arrive with the catalogue sync engine (see docs/performance.md once written).");
