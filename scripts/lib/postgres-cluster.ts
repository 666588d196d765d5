import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./ports";

export class PostgresNotInstalledError extends Error {
  constructor() {
    super("PostgreSQL is not installed: the PostgreSQL test pass needs Debian's server (apt-get install -y postgresql), or set TANDEM_TEST_POSTGRES_URL to a server of yours");
    this.name = "PostgresNotInstalledError";
  }
}

/** The newest Debian PostgreSQL server's bin directory (/usr/lib/postgresql/<version>/bin). */
function serverBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin/postgres"))) : [];
  if (versions.length === 0) throw new PostgresNotInstalledError();
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], "bin");
}

export type PostgresCluster = { url: string; stop(): Promise<void> };

/**
 * A throwaway PostgreSQL server on a free loopback port, in a temporary directory: for the test
 * pass and the benchmarks, so neither depends on a server the machine happens to run. PostgreSQL
 * refuses to run as root, so as root it runs as the `postgres` user Debian's package creates.
 * Durability is off (fsync, synchronous commit): the data is thrown away afterwards.
 */
export async function startPostgresCluster({ maxConnections = 500 } = {}): Promise<PostgresCluster> {
  const bin = serverBinDir();
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-pg-"));
  const dataDir = path.join(dir, "data");
  if (asRoot) execFileSync("chown", ["postgres:postgres", dir]);
  const run = (command: string, args: string[]) => (asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args]) as [string, string[]];

  execFileSync(...run(path.join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]), { stdio: "ignore" });
  const port = await freePort();
  const server = spawn(...run(path.join(bin, "postgres"), [
    "-D", dataDir, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1",
    "-c", `max_connections=${maxConnections}`, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
  ]), { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  server.stderr?.on("data", (chunk: Buffer) => (log += chunk));

  const deadline = Date.now() + 30_000;
  while (!log.includes("ready to accept connections")) {
    if (server.exitCode !== null) throw new Error(`PostgreSQL did not start: ${log}`);
    if (Date.now() > deadline) throw new Error(`PostgreSQL did not start in 30 s: ${log}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // runuser does not pass signals on: signal the postmaster itself (its pid heads postmaster.pid).
  const postmasterPid = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  // SIGINT: PostgreSQL's fast shutdown (disconnects clients, no wait for them to leave).
  const shutDown = () => {
    try {
      process.kill(postmasterPid, "SIGINT");
    } catch {
      // already gone
    }
  };
  process.once("exit", shutDown);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      process.off("exit", shutDown);
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once("exit", resolve));
        shutDown();
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
