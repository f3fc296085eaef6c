import { describe, expect, it } from "vitest";
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL } from "./config/defaults";
import { parseEnv } from "./env";

describe("parseEnv", () => {
  it("falls back to the embedded defaults when nothing is set", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBe(DEFAULT_DATABASE_URL);
    expect(env.REDIS_URL).toBe(DEFAULT_REDIS_URL);
    expect(env.DATABASE_POOL_SIZE).toBe(10);
  });

  it("treats an empty variable as unset", () => {
    expect(parseEnv({ REDIS_URL: "" }).REDIS_URL).toBe(DEFAULT_REDIS_URL);
  });

  it("coerces numbers from strings", () => {
    expect(parseEnv({ DATABASE_POOL_SIZE: "3", HEALTH_TIMEOUT_MS: "500" })).toMatchObject({ DATABASE_POOL_SIZE: 3, HEALTH_TIMEOUT_MS: 500 });
  });

  it("names every bad variable and why", () => {
    let message = "";
    try {
      parseEnv({ DATABASE_URL: "mysql://x@y/z", REDIS_URL: "not a url", DATABASE_POOL_SIZE: "0" });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("DATABASE_URL: must be a postgresql:// URL");
    expect(message).toMatch(/REDIS_URL: .+/);
    expect(message).toMatch(/DATABASE_POOL_SIZE: .+/);
  });

  it("a Redis Cluster needs a hash-tagged queue prefix (one slot for every key)", () => {
    expect(parseEnv({ REDIS_CLUSTER: "true" })).toMatchObject({ REDIS_CLUSTER: true, QUEUE_PREFIX: "{bedrock-cert}" });
    expect(parseEnv({}).REDIS_CLUSTER).toBe(false);
    expect(() => parseEnv({ REDIS_CLUSTER: "true", QUEUE_PREFIX: "bedrock-cert" })).toThrow(/QUEUE_PREFIX: must contain a hash tag/);
    expect(() => parseEnv({ REDIS_CLUSTER: "yes" })).toThrow(/REDIS_CLUSTER: must be "true" or "false"/);
    expect(parseEnv({ REDIS_CLUSTER: "true", REDIS_URL: "rediss://user:secret@clustercfg.example.cache.amazonaws.com:6379" }).REDIS_URL).toMatch(/^rediss:/);
  });
});
