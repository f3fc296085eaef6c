// `npm run dev`: the whole product on its embedded defaults. Prepares the
// database (create, migrate, seed), starts the Bedrock simulator unless real AWS
// is configured, syncs the catalog from it, and runs the web app on :3000 with
// prefixed logs, beside one certification worker; Ctrl-C stops everything.
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import concurrently, { type ConcurrentlyCommandInput } from "concurrently";
import { awsCredentialsConfigured, env } from "@/lib/env";
import { preflightOrExit } from "@/lib/preflight";

// A second `npm run dev` (or anything else on our ports): say so in one line, before any set-up.
const useSimulator = !env.BEDROCK_ENDPOINT && !awsCredentialsConfigured();
const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer().once("error", () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
const ports: [number, string, string][] = [
  [env.PORT, "the web app", "PORT"],
  [env.WORKER_HEALTH_PORT, "the worker's health endpoint", "WORKER_HEALTH_PORT"],
  ...(useSimulator ? [[env.SIMULATOR_PORT, "the simulator", "SIMULATOR_PORT"] as [number, string, string]] : []),
];
for (const [port, what, setting] of ports) {
  if (port !== 0 && !(await portFree(port))) {
    // A second `npm run dev` in this checkout cannot run beside the first on
    // other ports (Next keeps one dev server per project): say what works.
    console.error(
      `Port ${port} (${what}) is already in use. If \`npm run dev\` is running in this checkout, use it (http://localhost:${env.PORT}) or stop it (Ctrl-C in its terminal) first; if another program holds the port, set ${setting} to a free one.`,
    );
    process.exit(1);
  }
}

// PostgreSQL and Redis first: one line naming the setting if either is out of reach.
await preflightOrExit({ databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_CLUSTER ? undefined : env.REDIS_URL });

const prepared = spawnSync("npm", ["run", "--silent", "db:prepare"], { stdio: "inherit" });
if (prepared.status !== 0) {
  console.error("\nThe database could not be prepared. Is PostgreSQL running? (README: Requirements)");
  process.exit(prepared.status ?? 1);
}

spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/dev-users.ts"], { stdio: "inherit" });

const bedrockEndpoint = env.BEDROCK_ENDPOINT ?? (useSimulator ? `http://127.0.0.1:${env.SIMULATOR_PORT}` : undefined);
const childEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...(bedrockEndpoint ? { BEDROCK_ENDPOINT: bedrockEndpoint } : {}) };
console.log(
  useSimulator
    ? `Bedrock: the bundled simulator on ${bedrockEndpoint} (set BEDROCK_ENDPOINT or AWS credentials to use another)`
    : `Bedrock: ${bedrockEndpoint ?? "AWS, through the SDK's default credential chain"}`,
);

const commands: ConcurrentlyCommandInput[] = [
  { name: "web", command: "tsx server/main.ts", prefixColor: "blue", env: childEnv },
  { name: "worker", command: "tsx --conditions=react-server worker/main.ts", prefixColor: "green", env: childEnv },
];
if (useSimulator) {
  commands.unshift({
    name: "simulator",
    command: `tsx simulator/main.ts --port ${env.SIMULATOR_PORT} --faults simulator/profiles/dev.json`,
    prefixColor: "magenta",
  });
}

// A child that dies is named with its exit code (concurrently's own line,
// after its last output) and started again, waiting 1 s, 2 s, 4 s … between
// tries: one dead simulator no longer stops the web app and the worker with no
// word of why (issue 29). Ctrl-C still stops them all.
const { result } = concurrently(commands, { killOthersOn: ["success"], prefix: "name", restartTries: 8, restartDelay: "exponential" });

// Once the simulator answers, read the catalog from it (what `npm run
// catalog:sync` does against AWS).
if (useSimulator) {
  void (async () => {
    for (let i = 0; i < 60; i++) {
      const up = await fetch(`${bedrockEndpoint}/_simulator/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) {
        spawnSync("npm", ["run", "--silent", "catalog:sync"], { stdio: "inherit", env: childEnv });
        return;
      }
      await sleep(500);
    }
    console.error("The simulator did not start; the catalog was not synced.");
  })();
}

result.then(
  () => process.exit(0),
  () => process.exit(1),
);
