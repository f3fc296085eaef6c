// `npm run migrate:legacy [-- options]`: moves the first release's Region-less
// certifications into the regional table (docs/legacy-migration.md).
//   --dry-run              print what would happen, write nothing
//   --verify               check every legacy row against what was written; exit 1 on a mismatch
//   --rollback             remove what the migration wrote, restore what it replaced
//   --home-region <code>   Region for models the mapping does not name (default us-east-1, or LEGACY_HOME_REGION)
//   --mapping <file.json>  per-model Regions: {"default": "...", "models": {"<model id>": "<Region>"}}
//   --batch-size <n>       rows per transaction (default 500)
//   --max-batches <n>      stop after n batches (run again to continue)
// A real run ends with a verification and exits 1 if it finds a mismatch.
import { readFileSync } from "node:fs";
import { createPrismaClient } from "@/lib/db/client";
import { migrateLegacy, mappingContext, rollbackLegacy, verifyLegacy, type Decision } from "@/lib/legacy/migrate";
import { regionMappingSchema, regionResolver } from "@/lib/legacy/mapping";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const positive = (name: string) => {
  const v = value(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
};

const describe = (d: Decision) =>
  d.outcome === "MIGRATED" || d.outcome === "REPLACED"
    ? `legacy ${d.legacyId}: ${d.outcome} -> ${d.fields.region} ${d.fields.status}${d.outcome === "REPLACED" ? ` (over regional ${(d.replaces as { id: string }).id})` : ""}`
    : `legacy ${d.legacyId}: ${d.outcome}: ${d.reason}`;

const db = createPrismaClient(undefined, 2);
try {
  const homeRegion = value("--home-region") ?? process.env.LEGACY_HOME_REGION ?? "us-east-1";
  const mappingFile = value("--mapping");
  const mapping = mappingFile ? regionMappingSchema.parse(JSON.parse(readFileSync(mappingFile, "utf8"))) : undefined;
  const ctx = await mappingContext(db, regionResolver(homeRegion, mapping));

  if (flag("--rollback")) {
    const r = await rollbackLegacy(db);
    console.log(`Rolled back: ${r.removed} regional rows removed, ${r.restored} restored as they were, ${r.kept} kept (re-certified since).`);
  } else if (flag("--verify")) {
    process.exitCode = await runVerify();
  } else {
    const dryRun = flag("--dry-run");
    console.log(`${dryRun ? "Dry run: nothing will be written. " : ""}Home Region ${homeRegion}${mappingFile ? `, mapping ${mappingFile}` : ""}.`);
    const report = await migrateLegacy(db, ctx, {
      dryRun,
      batchSize: positive("--batch-size"),
      maxBatches: positive("--max-batches"),
      onBatch: (done, total, batch) => {
        console.log(`  batch of ${batch.length}: ${done}/${total} legacy rows handled`);
        for (const d of batch) console.log(`    ${describe(d)}`);
      },
    });
    console.log(
      `${dryRun ? "Would handle" : "Handled"} ${report.decisions.length} of ${report.total} legacy rows (${report.alreadyDone} done before): ` +
        `${report.counts.MIGRATED} migrated, ${report.counts.REPLACED} replaced an older regional row, ${report.counts.SUPERSEDED} superseded, ${report.counts.SKIPPED} skipped; ${report.remaining} remaining.`,
    );
    if (!dryRun && report.remaining === 0) process.exitCode = await runVerify();
  }

  async function runVerify(): Promise<number> {
    const v = await verifyLegacy(db, ctx);
    for (const p of v.problems) console.log(`  MISMATCH legacy ${p.legacyId ?? "?"}: ${p.problem}`);
    console.log(
      v.problems.length === 0
        ? `Verified: all ${v.checked} legacy rows are migrated, superseded or skipped with a reason, and match their sources.`
        : `Verification FAILED: ${v.problems.length} problem(s) in ${v.checked} legacy rows.`,
    );
    return v.problems.length === 0 ? 0 : 1;
  }
} catch (err) {
  console.error(`Legacy migration failed: ${(err as Error).message}`);
  process.exitCode = 2;
} finally {
  await db.$disconnect();
}
