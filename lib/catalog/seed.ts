import "server-only";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { isLegacyModel, type ModelRow, type RegionRow } from "./aws-tables";
import type { LegacyCertificationFixture } from "@/prisma/fixtures/legacy-certifications";

// Timestamps as every other write of the product stores them: UTC, no zone.
const NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

export type SeedReport = { regions: { created: number; updated: number }; models: { created: number; updated: number } };

// Loads the AWS tables into `regions` and `ai_models`. Idempotent: re-running
// updates the catalog facts and never touches what admins own (enabled flags).
// Set-based: one statement for the Regions and one for the models, not an
// interactive transaction of a round trip per row — that one outlived
// Prisma's 5 s transaction limit on a busy two-core machine and stopped the
// first `npm run dev` (issue 28).
export async function seedCatalog(db: PrismaClient, input: { regions: RegionRow[]; models: ModelRow[] }): Promise<SeedReport> {
  const regions = input.regions.map((r) => ({ code: r.code, name: r.name, partition: r.partition, geography: r.geography, runtime_endpoint: r.runtimeEndpoint }));
  // A model without a Bedrock id (two rows of AWS's table) is known by its provider and name.
  const models = input.models.map((m) => ({
    provider: m.provider,
    name: m.name,
    bedrock_model_id: m.bedrockModelId,
    input_modalities: m.inputModalities,
    output_modalities: m.outputModalities,
    streaming: m.streaming,
    lifecycle: isLegacyModel(m) ? "LEGACY" : "ACTIVE",
  }));
  const [regionRows, modelRows] = await db.$transaction([
    db.$queryRaw<{ created: boolean }[]>`
      INSERT INTO regions (code, name, partition, geography, runtime_endpoint, created_at, updated_at)
      SELECT x.code, x.name, x.partition, x.geography, x.runtime_endpoint, ${NOW}, ${NOW}
        FROM jsonb_to_recordset(${JSON.stringify(regions)}::jsonb) AS x(code text, name text, partition text, geography text, runtime_endpoint text)
      ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, partition = EXCLUDED.partition, geography = EXCLUDED.geography,
        runtime_endpoint = EXCLUDED.runtime_endpoint, updated_at = EXCLUDED.updated_at
      RETURNING (xmax = 0) AS created`,
    db.$queryRaw<{ created: boolean }[]>`
      WITH input AS (
        SELECT x.provider, x.name, x.bedrock_model_id, x.input_modalities, x.output_modalities, x.streaming, x.lifecycle::"ModelLifecycle" AS lifecycle,
               COALESCE(byid.id, bykey.id) AS id
          FROM jsonb_to_recordset(${JSON.stringify(models)}::jsonb)
               AS x(provider text, name text, bedrock_model_id text, input_modalities text[], output_modalities text[], streaming boolean, lifecycle text)
          LEFT JOIN ai_models byid ON byid.bedrock_model_id = x.bedrock_model_id
          LEFT JOIN LATERAL (SELECT m.id FROM ai_models m WHERE x.bedrock_model_id IS NULL AND m.bedrock_model_id IS NULL
                                AND m.provider = x.provider AND m.name = x.name LIMIT 1) bykey ON true
      ), updated AS (
        UPDATE ai_models m SET provider = i.provider, name = i.name, input_modalities = i.input_modalities, output_modalities = i.output_modalities,
               streaming = i.streaming, lifecycle = i.lifecycle, updated_at = ${NOW}
          FROM input i WHERE m.id = i.id
        RETURNING false AS created
      ), created AS (
        INSERT INTO ai_models (id, provider, name, bedrock_model_id, input_modalities, output_modalities, streaming, lifecycle, created_at, updated_at)
        SELECT 'c' || replace(gen_random_uuid()::text, '-', ''), i.provider, i.name, i.bedrock_model_id, i.input_modalities, i.output_modalities, i.streaming, i.lifecycle, ${NOW}, ${NOW}
          FROM input i WHERE i.id IS NULL
        RETURNING true AS created
      )
      SELECT created FROM updated UNION ALL SELECT created FROM created`,
  ]);
  const count = (rows: { created: boolean }[]) => ({ created: rows.filter((r) => r.created).length, updated: rows.filter((r) => !r.created).length });
  return { regions: count(regionRows), models: count(modelRows) };
}

// The first release's certifications, for the legacy data migration. Rows keep
// their ids, so re-running inserts nothing twice.
export async function seedLegacyCertifications(db: PrismaClient, rows: LegacyCertificationFixture[]): Promise<number> {
  const result = await db.modelCertificationLegacy.createMany({
    data: rows.map((r) => ({
      ...r,
      certifiedAt: r.certifiedAt ? new Date(r.certifiedAt) : null,
      createdAt: new Date(r.createdAt),
      updatedAt: new Date(r.createdAt),
    })),
    skipDuplicates: true,
  });
  // Explicit ids leave the serial behind; move it past them for new inserts.
  await db.$executeRaw`SELECT setval(pg_get_serial_sequence('model_certifications_legacy', 'id'), GREATEST((SELECT MAX(id) FROM model_certifications_legacy), 1))`;
  return result.count;
}
