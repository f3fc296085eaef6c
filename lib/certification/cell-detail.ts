import "server-only";
// One cell of the matrix with its history, as JSON text built by PostgreSQL in
// one statement (lib/db/json-row.ts): the model, the cell and its per-test
// results, its last 50 runs, newest first, and what the watch noticed about it
// (the last 20 regressions and catalog changes). The model is named by its
// catalog or Bedrock id (lib/catalog/model-ref.ts).
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { modelByRefSql } from "@/lib/catalog/model-ref";
import { CERTIFICATION_ROW, jsonRow, RUN_ROW, WATCH_EVENT_ROW } from "@/lib/db/json-row";
import { notFound } from "@/lib/errors";

const CELL_RUNS = 50;
const CELL_EVENTS = 20;

export async function cellDetailJson(db: PrismaClient, modelRef: string, region: string): Promise<string> {
  const rows = await db.$queryRaw<{ detail: string; certified: boolean }[]>`
    WITH mo AS (${modelByRefSql(modelRef)}),
    cert AS (SELECT ${jsonRow("c", CERTIFICATION_ROW)} AS json FROM model_certifications c, mo WHERE c.model_id = mo.id AND c.region = ${region})
    SELECT json_build_object(
      'model', json_build_object('id', mo.id, 'bedrockModelId', mo.bedrock_model_id, 'name', mo.name, 'provider', mo.provider),
      'certification', (SELECT json FROM cert),
      'runs', COALESCE((SELECT json_agg(${jsonRow("r", RUN_ROW)} ORDER BY r.created_at DESC, r.id DESC)
                          FROM (SELECT * FROM certification_runs WHERE model_id = mo.id AND region = ${region}
                                 ORDER BY created_at DESC, id DESC LIMIT ${CELL_RUNS}) r), '[]'::json),
      'events', COALESCE((SELECT json_agg(${jsonRow("e", WATCH_EVENT_ROW)} ORDER BY e.created_at DESC, e.id DESC)
                            FROM (SELECT * FROM watch_events WHERE model_id = mo.id AND region = ${region}
                                   ORDER BY created_at DESC, id DESC LIMIT ${CELL_EVENTS}) e), '[]'::json)
    )::text AS detail,
    EXISTS (SELECT 1 FROM cert) AS certified
    FROM mo`;
  const [row] = rows;
  if (!row) throw notFound("Model");
  if (!row.certified) throw notFound("Certification");
  return row.detail;
}
