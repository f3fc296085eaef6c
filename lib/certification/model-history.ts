import "server-only";
// A model's runs over time, per Region: score, and the latency its latency
// test measured (the median call, else the slowest; for a run without one,
// the pair's whole duration), for the model page's chart. Only runs that tried
// the model. JSON text built by PostgreSQL in one statement, the model found
// by its catalog or Bedrock id (lib/catalog/model-ref.ts) in the same (lib/db/json-row.ts: up to 5,000
// points made into objects and stringified again cost the web process more
// than the query).
import { z } from "zod";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { modelByRefSql } from "@/lib/catalog/model-ref";
import { isoUtc } from "@/lib/db/json-row";
import { notFound } from "@/lib/errors";

export const historyQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(365).default(90) }).strict();

const MAX_POINTS = 5000;

// {"points": [{region, at, score, latencyMs, passed}, …]}, oldest first.
export async function modelHistoryJson(db: PrismaClient, modelRef: string, days: number): Promise<string> {
  const since = new Date(Date.now() - days * 86_400_000);
  const [row] = await db.$queryRaw<{ history: string }[]>`
    WITH mo AS (${modelByRefSql(modelRef)}), points AS (
      SELECT r.region, ${Prisma.raw(isoUtc("COALESCE(r.completed_at, r.created_at)"))} AS at, r.score, r.passed, r.created_at, r.id,
             COALESCE((SELECT COALESCE(t->'metrics'->>'p50LatencyMs', t->'metrics'->>'maxLatencyMs', t->>'latencyMs')::float
                         FROM jsonb_array_elements(r.test_results->'tests') t WHERE t->>'name' = 'latency' LIMIT 1), r.duration::float) AS latency_ms
        FROM certification_runs r
       -- Runs that tried the model (passed or not): a pair not tried because of
       -- its availability has nothing to chart.
       WHERE r.model_id = (SELECT id FROM mo) AND r.created_at >= ${since} AND r.status IN ('COMPLETED', 'FAILED') AND r.passed IS NOT NULL
       ORDER BY r.created_at, r.id
       LIMIT ${MAX_POINTS}
    )
    SELECT json_build_object('points', COALESCE((SELECT json_agg(json_build_object('region', region, 'at', at, 'score', score, 'latencyMs', latency_ms, 'passed', passed)
                                                 ORDER BY created_at, id) FROM points), '[]'::json))::text AS history
      FROM mo`;
  if (!row) throw notFound("Model");
  return row.history;
}
