// Worker processes for integration tests: the real `worker/main.ts`, started
// with tsx as `npm run worker` does, pointed at this run's database, a Redis,
// a queue prefix of the test's own and a simulator.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

export type WorkerProcess = { child: ChildProcess; output: () => string; stop(signal?: NodeJS.Signals): Promise<number | null>; exited: Promise<number | null> };

export const uniquePrefix = (name: string) => `{test-${name}-${randomBytes(3).toString("hex")}}`;

export async function startWorker(env: Record<string, string>, nodeArgs: string[] = []): Promise<WorkerProcess> {
  // node itself (with tsx as a loader), so that a signal reaches the worker and
  // SIGKILL kills it, as it would a worker in production.
  const child = spawn(process.execPath, [...nodeArgs, "--conditions=react-server", "--import", "tsx", "worker/main.ts"], {
    env: {
      ...process.env,
      LOG_LEVEL: "info",
      WORKER_HEALTH_PORT: "0",
      WORKER_LOCK_DURATION_MS: "4000",
      WORKER_STALLED_INTERVAL_MS: "2000",
      RECONCILE_INTERVAL_MS: "1000",
      // A test that wants the catalog on a schedule says so.
      CATALOG_SYNC_CRON: "off",
      REGION_SLOT_WAIT_MS: "300",
      WORKER_SHUTDOWN_GRACE_MS: "5000",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${out}`)), 30_000);
    const check = () => {
      if (out.includes('"msg":"worker started"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) before starting:\n${out}`));
    });
  });
  return {
    child,
    output: () => out,
    exited,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

// A worker's resident memory in MB, from /proc (Linux); 0 once it has exited.
export function workerRssMb(w: WorkerProcess): number {
  let status = "";
  try {
    status = readFileSync(`/proc/${w.child.pid}/status`, "utf8");
  } catch {
    return 0;
  }
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}
