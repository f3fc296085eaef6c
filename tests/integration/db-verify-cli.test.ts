// `npm run db:verify` as an operator runs it: a report and an exit code.
import { spawnSync } from "node:child_process";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createMigratedDatabase, dropDatabase } from "../setup/test-database";

const verify = (url: string) => spawnSync("npx", ["tsx", "scripts/db-verify.ts", "--url", url], { encoding: "utf8", env: process.env });

let tampered: { name: string; url: string } | undefined;
afterAll(async () => {
  if (tampered) await dropDatabase(tampered.name);
});

describe("db:verify", () => {
  it("passes on a migrated database", () => {
    const result = verify(process.env.DATABASE_URL!);
    expect(result.stdout).toMatch(/Schema OK: \d+ checks passed/);
    expect(result.status).toBe(0);
  });

  it("fails, naming the index, on a database with one index dropped", async () => {
    tampered = await createMigratedDatabase("verify");
    const client = new pg.Client({ connectionString: tampered.url });
    await client.connect();
    await client.query(`DROP INDEX "certification_jobs_bull_job_id_idx"`);
    await client.end();
    const result = verify(tampered.url);
    expect(result.stdout).toContain("FAIL  index certification_jobs(bull_job_id): missing");
    expect(result.stdout).toMatch(/Schema MISMATCH: 1 of \d+ checks failed/);
    expect(result.status).toBe(1);
  });

  it("exits 2 with a reason when it cannot connect", () => {
    const result = verify("postgresql://postgres@127.0.0.1:5432/bedrock_cert_no_such_database");
    expect(result.stderr).toContain("Could not verify the database");
    expect(result.status).toBe(2);
  });
});
