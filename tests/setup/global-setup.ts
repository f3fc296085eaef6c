import { Redis } from "ioredis";
import type { TestProject } from "vitest/node";
import { createMigratedDatabase, dropDatabase } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    queuePrefix: string;
  }
}

// One migrated database for the whole run, dropped at the end.
export default async function setup(project: TestProject) {
  const { name, url } = await createMigratedDatabase("run");
  project.provide("databaseUrl", url);
  // Queue keys of this run (the app side of the API tests) under a prefix of its own.
  const queuePrefix = `{test-run-${process.pid}}`;
  project.provide("queuePrefix", queuePrefix);
  return async () => {
    await dropDatabase(name);
    const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
    const keys = await redis.keys(`${queuePrefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  };
}
