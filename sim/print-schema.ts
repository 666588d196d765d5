// npm run -s sim:schema [-- 2026-01]: prints the simulator's Admin API SDL for a version (default: the newest served).
import { isSimulatedApiVersion, readAdminSdl, SIMULATED_API_VERSIONS } from "./schema/admin-schema";

const version = process.argv[2] ?? SIMULATED_API_VERSIONS[SIMULATED_API_VERSIONS.length - 1];
if (!isSimulatedApiVersion(version)) {
  process.stderr.write(`The simulator serves ${SIMULATED_API_VERSIONS.join(" and ")}, not ${version}\n`);
  process.exit(1);
}
process.stdout.write(readAdminSdl(version));
