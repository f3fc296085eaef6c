// Databases for tests: each run gets its own, named uniquely, created and
// migrated with the stock Prisma CLI and dropped at the end. Refuses anything
// but a local server, so a stray DATABASE_URL can never point tests at real data.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";

export const TEST_SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export function assertLocal(url: string) {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`Refusing to run tests against non-local PostgreSQL host ${host}`);
  }
}

export function databaseUrl(name: string): string {
  const u = new URL(TEST_SERVER_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export function uniqueDatabaseName(purpose: string): string {
  return `bedrock_cert_test_${purpose}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
}

async function onServer<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  assertLocal(TEST_SERVER_URL);
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(name: string): Promise<string> {
  await onServer((c) => c.query(`CREATE DATABASE "${name}"`));
  return databaseUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await onServer((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

// Runs the Prisma CLI from the project root against `url`; returns stdout and
// throws (with stderr) on a non-zero exit.
export function prismaCli(args: string[], url: string): string {
  return execFileSync("npx", ["prisma", ...args], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export async function createMigratedDatabase(purpose: string): Promise<{ name: string; url: string }> {
  const name = uniqueDatabaseName(purpose);
  const url = await createDatabase(name);
  prismaCli(["migrate", "deploy"], url);
  return { name, url };
}
