// A process that cannot start says why in one line naming the setting, and
// ends non-zero at once: no stack trace, no minute of retries (issue 29).
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

function run(script: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string; ms: number }>((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", ...(script.startsWith("worker") ? ["--conditions=react-server"] : []), script], {
      // Ports of its own, so that nothing else's port is what it complains about.
      env: { ...process.env, PORT: "3977", WORKER_HEALTH_PORT: "0", SIMULATOR_PORT: "4977", ...env },
    });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out, ms: Date.now() - started });
    });
  });
}

describe("startup errors are one line", () => {
  it.each([
    ["scripts/dev.ts", { REDIS_URL: "redis://127.0.0.1:6999" }, /^Redis is not reachable at REDIS_URL=redis:\/\/127\.0\.0\.1:6999 \(connection refused\): start Redis or set REDIS_URL/],
    ["scripts/dev.ts", { DATABASE_URL: "not-a-url" }, /^Invalid environment: DATABASE_URL: must be a postgresql:\/\/ URL/],
    ["scripts/dev.ts", { DATABASE_URL: "postgresql://postgres@127.0.0.1:5999/x" }, /^PostgreSQL is not reachable at DATABASE_URL=\S+ \(connection refused\)/],
    ["scripts/dev.ts", { LOG_LEVEL: "loud" }, /^Invalid environment: LOG_LEVEL: /],
    ["worker/main.ts", { REDIS_URL: "redis://127.0.0.1:6999" }, /^Redis is not reachable at REDIS_URL=/],
    ["worker/main.ts", { PORT: "abc" }, /^Invalid environment: PORT: /],
  ] as [string, Record<string, string>, RegExp][])("%s with %j", async (script, env, line) => {
    const r = await run(script, env);
    expect(r.code, r.out).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.ms).toBeLessThan(15_000);
    const lines = r.out.split("\n").filter((l) => l.trim() && !l.startsWith(">"));
    expect(lines, r.out).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(r.out).not.toMatch(/^\s+at /m);
  });
});
