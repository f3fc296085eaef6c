// A Redis server of the test's own, on a free port: so a test can empty it or
// restart it (keeping nothing, like the machines' Redis) without touching the
// shared one.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export type OwnRedis = { url: string; port: number; stop(): Promise<void>; start(): Promise<void>; flushAll(): Promise<void> };

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const ping = async () => {
    const c = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on("error", () => {});
    try {
      await c.connect();
      return (await c.ping()) === "PONG";
    } catch {
      return false;
    } finally {
      c.disconnect();
    }
  };
  const own: OwnRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"], { stdio: "ignore" });
      for (let i = 0; i < 100 && !(await ping()); i++) await new Promise((r) => setTimeout(r, 50));
    },
    async stop() {
      if (!child) return;
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGKILL");
      await exited;
      child = null;
    },
    async flushAll() {
      const c = new Redis({ port, host: "127.0.0.1" });
      await c.flushall();
      c.disconnect();
    },
  };
  await own.start();
  return own;
}
