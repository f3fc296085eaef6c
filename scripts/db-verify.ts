// `npm run db:verify [-- --url postgresql://...]`: checks a live database against
// the schema contract (lib/db/schema-spec.ts), prints a report and exits 1 on
// any mismatch. Reads only; safe against production.
import pg from "pg";
import { env } from "@/lib/env";
import { compareSchema, formatReport, inspectSchema } from "@/lib/db/verify-schema";

const urlFlag = process.argv.indexOf("--url");
const url = urlFlag >= 0 ? process.argv[urlFlag + 1] : env.DATABASE_URL;

const client = new pg.Client({ connectionString: url });
try {
  await client.connect();
  const db = (await client.query<{ db: string; schema: string }>("SELECT current_database() AS db, current_schema() AS schema")).rows[0]!;
  console.log(`Verifying database "${db.db}", schema "${db.schema}"\n`);
  const checks = compareSchema(await inspectSchema(client));
  console.log(formatReport(checks));
  process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
} catch (err) {
  console.error(`Could not verify the database: ${(err as Error).message}`);
  process.exitCode = 2;
} finally {
  await client.end().catch(() => {});
}
