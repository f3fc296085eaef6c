// Playwright's web server: the whole product as it runs in production, on this
// run's own database and queue prefix: the Bedrock simulator, the production
// build of the web app and one certification worker. Creates and prepares the
// database (migrate, seed), the test accounts, syncs the catalog from the
// simulator, builds, then starts everything; stops it all on SIGTERM.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createDatabase, dropDatabase } from "../../tests/setup/test-database";
import { E2E_ADMIN, E2E_VIEWER, e2eDatabaseName, e2eDatabaseUrl, SIMULATOR_URL } from "./database";

const name = e2eDatabaseName();
await dropDatabase(name);
await createDatabase(name);
const env = {
  ...process.env,
  DATABASE_URL: e2eDatabaseUrl(),
  NODE_ENV: "production" as const,
  APP_URL: `http://127.0.0.1:${process.env.E2E_PORT ?? "3100"}`,
  AUTH_SECRET: randomBytes(32).toString("hex"),
  BEDROCK_ENDPOINT: SIMULATOR_URL,
  QUEUE_PREFIX: `{e2e-${randomBytes(3).toString("hex")}}`,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  // Any free port: the worker's health endpoint is not what is tested here.
  WORKER_HEALTH_PORT: "0",
  PORT: process.env.E2E_PORT ?? "3100",
  WEB_HOST: "127.0.0.1",
  // The catalog is synced once below; a spec that wants more says so.
  CATALOG_SYNC_CRON: "off",
  // Webhook retries within a test's patience.
  WEBHOOK_BACKOFF_MS: "500",
  // The specs' webhook receivers listen on loopback, which webhooks may not reach unless opened.
  WEBHOOK_ALLOWED_NETWORKS: "127.0.0.0/8",
};

const children: ChildProcess[] = [];
// Each part runs in its own process group, so that stopping it stops what it
// started too (npx → next-server, tsx → node).
const stopAll = (signal: NodeJS.Signals = "SIGTERM") =>
  children.forEach((c) => {
    try {
      if (c.exitCode === null && c.pid) process.kill(-c.pid, signal);
    } catch {
      // already gone
    }
  });
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    stopAll(signal);
    setTimeout(() => process.exit(0), 3_000).unref();
  });
function start(command: string, args: string[]) {
  const child = spawn(command, args, { stdio: "inherit", env, detached: true });
  children.push(child);
  child.on("exit", (code) => {
    // One part down is the whole product down: end the run.
    stopAll();
    process.exit(code ?? 1);
  });
  return child;
}
function step(command: string, args: string[]) {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) {
    stopAll();
    process.exit(result.status ?? 1);
  }
}

step("npm", ["run", "--silent", "db:prepare"]);
for (const [user, role] of [
  [E2E_ADMIN, "admin"],
  [E2E_VIEWER, "viewer"],
] as const)
  step("npm", ["run", "--silent", "auth:user", "--", "--email", user.email, "--password", user.password, "--role", role]);

// The simulator answers like Bedrock, with a little latency so jobs can be
// watched, paused and cancelled while they run.
start("npx", ["tsx", "simulator/main.ts", "--port", new URL(SIMULATOR_URL).port, "--faults", "e2e/support/simulator-faults.json"]);
for (
  let i = 0;
  i < 60 &&
  !(await fetch(`${SIMULATOR_URL}/_simulator/health`).then(
    (r) => r.ok,
    () => false,
  ));
  i++
)
  await new Promise((r) => setTimeout(r, 500));
step("npm", ["run", "--silent", "catalog:sync"]);
if (process.env.E2E_SKIP_BUILD !== "1") step("npx", ["next", "build"]);

start("node", ["--conditions=react-server", "--import", "tsx", "worker/main.ts"]);
start("node", ["--import", "tsx", "server/main.ts"]);
