// Playwright's web server: the production build on this run's own database.
// Creates and prepares the database (migrate, seed), builds, then starts Next.
import { spawnSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createDatabase, dropDatabase } from "../../tests/setup/test-database";
import { E2E_ADMIN, e2eDatabaseName, e2eDatabaseUrl } from "./database";

const name = e2eDatabaseName();
await dropDatabase(name);
await createDatabase(name);
const env = {
  ...process.env,
  DATABASE_URL: e2eDatabaseUrl(),
  NODE_ENV: "production" as const,
  APP_URL: `http://127.0.0.1:${process.env.E2E_PORT ?? "3100"}`,
  AUTH_SECRET: randomBytes(32).toString("hex"),
};

function step(command: string, args: string[]) {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

step("npm", ["run", "--silent", "db:prepare"]);
step("npm", ["run", "--silent", "auth:user", "--", "--email", E2E_ADMIN.email, "--password", E2E_ADMIN.password, "--role", "admin"]);
if (process.env.E2E_SKIP_BUILD !== "1") step("npx", ["next", "build"]);

const server = spawn("npx", ["next", "start", "--port", process.env.E2E_PORT ?? "3100", "--hostname", "127.0.0.1"], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
