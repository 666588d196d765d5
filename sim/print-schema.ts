// npm run -s sim:schema [-- 2026-10]: prints the simulator's Admin API SDL for a version (default 2025-01).
import { isSimulatedApiVersion, readAdminSdl, SIMULATED_API_VERSIONS } from "./schema/admin-schema";

const version = process.argv[2] ?? "2025-01";
if (!isSimulatedApiVersion(version)) {
  process.stderr.write(`The simulator serves ${SIMULATED_API_VERSIONS.join(" and ")}, not ${version}\n`);
  process.exit(1);
}
process.stdout.write(readAdminSdl(version));
