// `npm run db:rollback -- --to <migration name>`: rolls the database back to the
// state right after <migration name>, running the down.sql of every later
// applied migration, newest first. Each down script is one transaction and
// removes its migration from Prisma's history, so `prisma migrate deploy`
// upgrades again later. `--to 0` rolls back everything that has a down script.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { env } from "@/lib/env";

const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");
const toFlag = process.argv.indexOf("--to");
const target = toFlag >= 0 ? process.argv[toFlag + 1] : undefined;
if (!target) {
  console.error("Usage: npm run db:rollback -- --to <migration name>   (see prisma/migrations)");
  process.exit(2);
}

const all = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
if (target !== "0" && !all.includes(target)) {
  console.error(`Unknown migration ${target}. Known: ${all.join(", ")}`);
  process.exit(2);
}

const client = new pg.Client({ connectionString: env.DATABASE_URL });
await client.connect();
try {
  const applied = new Set(
    (await client.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`)).rows.map((r) => r.migration_name),
  );
  const later = all.filter((m) => (target === "0" || m > target) && applied.has(m)).reverse();
  if (later.length === 0) console.log(`Nothing to roll back: no migration after ${target} is applied.`);
  for (const migration of later) {
    const down = path.join(MIGRATIONS_DIR, migration, "down.sql");
    if (!existsSync(down)) throw new Error(`${migration} has no down.sql: stopping before it (nothing of it was changed).`);
    console.log(`Rolling back ${migration}`);
    await client.query(readFileSync(down, "utf8"));
  }
  if (later.length > 0) console.log(`Rolled back ${later.length} migration(s); the database is at ${target === "0" ? "its first state" : target}.`);
} catch (err) {
  console.error(`Rollback failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await client.end();
}
