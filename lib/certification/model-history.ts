import "server-only";
// A model's runs over time, per Region: score, and the latency its latency
// test measured (the median call, else the slowest; for a run without one,
// the pair's whole duration), for
// the model page's chart. Only runs that tried the model.
import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export const historyQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(365).default(90) }).strict();

export type HistoryPoint = { region: string; at: string; score: number | null; latencyMs: number | null; passed: boolean | null };

export async function modelHistory(db: PrismaClient, modelId: string, days: number): Promise<HistoryPoint[]> {
  const since = new Date(Date.now() - days * 86_400_000);
  return db.$queryRaw<HistoryPoint[]>`
    SELECT r.region, to_char(COALESCE(r.completed_at, r.created_at), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, r.score, r.passed,
           COALESCE((SELECT COALESCE(t->'metrics'->>'p50LatencyMs', t->'metrics'->>'maxLatencyMs', t->>'latencyMs')::float
                       FROM jsonb_array_elements(r.test_results->'tests') t WHERE t->>'name' = 'latency' LIMIT 1), r.duration::float) AS "latencyMs"
      FROM certification_runs r
     -- Runs that tried the model (passed or not): a pair not tried because of
     -- its availability has nothing to chart.
     WHERE r.model_id = ${modelId} AND r.created_at >= ${since} AND r.status IN ('COMPLETED', 'FAILED') AND r.passed IS NOT NULL
     ORDER BY r.created_at
     LIMIT 5000`;
}
