// npm run -s sim:schema: prints the simulator's Admin API SDL.
import { readAdminSdl } from "./schema/admin-schema";

process.stdout.write(readAdminSdl());
