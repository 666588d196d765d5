// Background worker entry (npm run worker). The durable job queue and its handlers arrive with the
// catalogue sync engine (issue 6); until then the worker validates its configuration and idles.
import { getConfig, loadDotenvFile } from "../config.server";

loadDotenvFile();
try {
  getConfig();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const { logger } = await import("../logger.server");
logger.info("Tandem worker started (no job kinds registered yet)");
const keepAlive = setInterval(() => {}, 60_000);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    clearInterval(keepAlive);
    logger.info({ signal }, "Tandem worker stopped");
    process.exit(0);
  });
}
