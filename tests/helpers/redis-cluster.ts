// A real Redis Cluster of the test's own: three masters (Debian's
// redis-server in cluster mode) on free loopback ports, the 16,384 slots
// spread over them by `redis-cli --cluster create`, keeping nothing on disk.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { freePort } from "./redis-server";

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Redis Cluster: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function ask<T>(port: number, fn: (c: Redis) => Promise<T>): Promise<T | null> {
  const c = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  c.on("error", () => {});
  try {
    await c.connect();
    return await fn(c);
  } catch {
    return null;
  } finally {
    c.disconnect();
  }
}

export type OwnRedisCluster = {
  // One node's URL: the seed the product is given (REDIS_URL with REDIS_CLUSTER=true).
  url: string;
  ports: number[];
  // Which master serves a key's slot.
  portOfKey(key: string): Promise<number>;
  stop(): Promise<void>;
};

export async function startRedisCluster(masters = 3): Promise<OwnRedisCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), "redis-cluster-"));
  const ports: number[] = [];
  for (let i = 0; i < masters; i++) ports.push(await freePort());
  const children: ChildProcess[] = ports.map((port) =>
    spawn(
      "redis-server",
      // prettier-ignore
      [
        "--port", String(port),
        "--bind", "127.0.0.1",
        "--cluster-enabled", "yes",
        "--cluster-config-file", path.join(dir, `nodes-${port}.conf`),
        "--cluster-node-timeout", "5000",
        "--dir", dir,
        "--save", "",
        "--appendonly", "no",
        "--daemonize", "no",
      ],
      { stdio: "ignore" },
    ),
  );
  const stop = async () => {
    await Promise.all(
      children.map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGKILL");
        return exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) await waitUntil(`node ${port}`, async () => (await ask(port, (c) => c.ping())) === "PONG");
    const create = spawnSync("redis-cli", ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", "0", "--cluster-yes"], { encoding: "utf8" });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${create.stdout}\n${create.stderr}`);
    // Every node agrees the cluster is whole before anyone uses it.
    for (const port of ports) await waitUntil(`cluster_state:ok on ${port}`, async () => /cluster_state:ok/.test((await ask(port, (c) => c.cluster("INFO") as Promise<string>)) ?? ""));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `redis://127.0.0.1:${ports[0]}`,
    ports,
    async portOfKey(key) {
      const slot = (await ask(ports[0]!, (c) => c.cluster("KEYSLOT", key) as Promise<number>))!;
      const slots = (await ask(ports[0]!, async (c) => (await c.cluster("SLOTS")) as unknown as [number, number, [string, number]][]))!;
      return slots.find(([from, to]) => slot >= from && slot <= to)![2][1];
    },
    stop,
  };
}
