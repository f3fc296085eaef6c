import "server-only";
// Reading jobs: the list with filters (status, type, who started it, since
// when) newest first, paged with a cursor.
import { z } from "zod";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { CertificationJobType, ErrorCategory, JobStatus } from "@/lib/generated/prisma/enums";
import { csv, instant } from "./queries";
import type { CellVerdict } from "./verdict";

export const jobFilterSchema = z
  .object({
    status: csv(z.enum(Object.values(JobStatus) as [JobStatus, ...JobStatus[]])).optional(),
    type: csv(z.enum(Object.values(CertificationJobType) as [CertificationJobType, ...CertificationJobType[]])).optional(),
    createdBy: z.string().min(1).max(200).optional(),
    // Jobs created at or after this instant.
    since: instant.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    // The id of the last job of the previous page.
    cursor: z.string().min(1).max(100).optional(),
  })
  .strict();

export type JobFilter = z.output<typeof jobFilterSchema>;

export async function listJobs(db: PrismaClient, f: JobFilter) {
  const where: Prisma.CertificationJobWhereInput = {
    ...(f.status ? { status: { in: f.status } } : {}),
    ...(f.type ? { type: { in: f.type } } : {}),
    ...(f.createdBy ? { createdBy: f.createdBy } : {}),
    ...(f.since ? { createdAt: { gte: f.since } } : {}),
  };
  const rows = await db.certificationJob.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: f.limit + 1,
    ...(f.cursor ? { cursor: { id: f.cursor }, skip: 1 } : {}),
    omit: { idempotencyKey: true },
  });
  const jobs = rows.slice(0, f.limit);
  return { jobs, nextCursor: rows.length > f.limit ? jobs.at(-1)!.id : null };
}

export type JobPairRow = {
  id: string;
  modelId: string;
  bedrockModelId: string | null;
  modelName: string;
  region: string;
  status: string;
  round: number;
  passed: boolean | null;
  availability: string | null;
  verdict: CellVerdict;
  score: number | null;
  errorCategory: string | null;
  errorMessage: string | null;
  completedAt: Date | null;
};

// A pair's verdict in SQL: the rule of lib/certification/verdict.ts.
const PAIR_VERDICT = Prisma.sql`CASE
  WHEN p.status = 'PROCESSING' THEN 'running'
  WHEN p.status = 'QUEUED' THEN 'waiting'
  WHEN p.status = 'CANCELLED' THEN 'cancelled'
  WHEN p.passed THEN 'passed'
  WHEN p.passed = false OR p.status = 'FAILED' THEN 'failed'
  WHEN p.status = 'COMPLETED' AND p.availability = 'NOT_OFFERED' THEN 'not-offered'
  WHEN p.status = 'COMPLETED' AND p.availability = 'PROFILE_ONLY' THEN 'profile-only'
  WHEN p.status = 'COMPLETED' AND p.availability = 'LEGACY' THEN 'legacy'
  WHEN p.status = 'COMPLETED' AND p.availability = 'UNSUPPORTED' THEN 'unsupported'
  ELSE 'pending' END`;

export const PAIR_VERDICTS = ["passed", "failed", "running", "waiting", "cancelled", "not-offered", "profile-only", "legacy", "unsupported", "pending"] as const satisfies readonly CellVerdict[];

// The order of a job's pairs, what needs attention first: failures, then work
// in progress, then passes, then the pairs not tried because of their
// availability.
const ATTENTION_ORDER: readonly (typeof PAIR_VERDICTS)[number][] = ["failed", "running", "waiting", "pending", "passed", "cancelled", "profile-only", "legacy", "unsupported", "not-offered"];

export const jobPairsQuerySchema = z
  .object({
    verdict: csv(z.enum(PAIR_VERDICTS)).optional(),
    region: csv(z.string().regex(/^[a-z]{2,4}(-[a-z]+)+-\d+$/, "not an AWS Region code")).optional(),
    category: csv(z.enum(Object.values(ErrorCategory) as [ErrorCategory, ...ErrorCategory[]])).optional(),
    // Model name or Bedrock id contains this (case-insensitive).
    q: z.string().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(10_000),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type JobPairsQuery = z.output<typeof jobPairsQuerySchema>;

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// A page of a job's pairs, with the result of each one's latest run, filtered
// by verdict, Region, error category and text; `total` counts every match.
// The order and the count come from the pairs and their models alone; only
// the page's rows then read their runs. Joined to every pair of the job, the
// runs were read by a scan of the whole history (the planner's choice for a
// few thousand lookups): 100 ms per page at 500,000 runs, and growing with
// every run ever recorded. A pair's run is always of its job: naming the job
// lets a big page (or the overview's failures) read the job's runs through
// their index instead.
export async function jobPairs(db: PrismaClient, jobId: string, q: Partial<JobPairsQuery> = {}): Promise<{ pairs: JobPairRow[]; total: number }> {
  const where: Prisma.Sql[] = [Prisma.sql`p.job_id = ${jobId}`];
  if (q.verdict) where.push(Prisma.sql`v.verdict = ANY(${q.verdict}::text[])`);
  if (q.region) where.push(Prisma.sql`p.region = ANY(${q.region}::text[])`);
  if (q.category) where.push(Prisma.sql`p.run_id IN (SELECT r.id FROM certification_runs r WHERE r.job_id = ${jobId} AND r.error_category::text = ANY(${q.category}::text[]))`);
  if (q.q) where.push(Prisma.sql`(m.name ILIKE ${likePattern(q.q)} OR m.bedrock_model_id ILIKE ${likePattern(q.q)})`);
  // Each pair's verdict as a column, for the filter, the order and the row.
  const pairsWithVerdict = Prisma.sql`certification_job_pairs p JOIN ai_models m ON m.id = p.model_id CROSS JOIN LATERAL (SELECT ${PAIR_VERDICT} AS verdict) v`;
  // In the attention order; id breaks ties, so that pages do not overlap.
  const rows = await db.$queryRaw<(JobPairRow & { total: number })[]>`
    WITH page AS (
      SELECT p.id, p.model_id, m.bedrock_model_id, m.name, m.provider, p.region, p.status, p.round, p.passed, p.availability, p.completed_at, p.run_id,
             v.verdict, array_position(${ATTENTION_ORDER}::text[], v.verdict) AS verdict_rank, (count(*) OVER ())::int AS total
        FROM ${pairsWithVerdict}
       WHERE ${Prisma.join(where, " AND ")}
       ORDER BY verdict_rank, m.provider, m.name, p.region, p.id
       LIMIT ${q.limit ?? 10_000} OFFSET ${q.offset ?? 0}
    )
    SELECT pg.id, pg.model_id AS "modelId", pg.bedrock_model_id AS "bedrockModelId", pg.name AS "modelName", pg.region, pg.status::text AS status, pg.round,
           pg.passed, pg.availability::text AS availability, pg.verdict,
           r.score, r.error_category::text AS "errorCategory", r.error_message AS "errorMessage", pg.completed_at AS "completedAt", pg.total
      FROM page pg LEFT JOIN certification_runs r ON r.id = pg.run_id AND r.job_id = ${jobId}
     ORDER BY pg.verdict_rank, pg.provider, pg.name, pg.region, pg.id`;
  let total = rows[0]?.total ?? 0;
  if (!rows.length && q.offset) {
    // Past the last page: the count alone.
    const [count] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM ${pairsWithVerdict} WHERE ${Prisma.join(where, " AND ")}`;
    total = count?.n ?? 0;
  }
  return { pairs: rows.map(({ total: _total, ...pair }) => pair), total };
}

export type JobRegionProgress = { region: string } & Record<CellVerdict, number>;
export type JobFailureGroup = { category: string; count: number; examples: { modelName: string; bedrockModelId: string | null; region: string; errorMessage: string | null }[] };

// A job at a glance, whatever its size: pairs by Region and verdict, and its
// failures grouped by error category with the first few examples of each.
export async function jobOverview(db: PrismaClient, jobId: string, examples = 5): Promise<{ regions: JobRegionProgress[]; failures: JobFailureGroup[] }> {
  const [byRegion, failures] = await Promise.all([
    db.$queryRaw<{ region: string; verdict: CellVerdict; n: number }[]>`
      SELECT p.region, ${PAIR_VERDICT} AS verdict, count(*)::int AS n
        FROM certification_job_pairs p WHERE p.job_id = ${jobId}
       GROUP BY 1, 2 ORDER BY 1`,
    db.$queryRaw<{ category: string; count: number; examples: JobFailureGroup["examples"] }[]>`
      SELECT category, count(*)::int AS count,
             (json_agg(json_build_object('modelName', name, 'bedrockModelId', bedrock_model_id, 'region', region, 'errorMessage', error_message) ORDER BY name, region)
               FILTER (WHERE rn <= ${examples})) AS examples
        FROM (SELECT COALESCE(r.error_category::text, 'UNKNOWN') AS category, m.name, m.bedrock_model_id, p.region, r.error_message,
                     row_number() OVER (PARTITION BY r.error_category ORDER BY m.name, p.region) AS rn
                FROM certification_job_pairs p
                JOIN ai_models m ON m.id = p.model_id
                LEFT JOIN certification_runs r ON r.id = p.run_id AND r.job_id = ${jobId}
               WHERE p.job_id = ${jobId} AND p.status = 'FAILED') f
       GROUP BY category ORDER BY count DESC, category`,
  ]);
  const regions = new Map<string, JobRegionProgress>();
  for (const row of byRegion) {
    const entry = regions.get(row.region) ?? ({ region: row.region, ...Object.fromEntries(PAIR_VERDICTS.map((v) => [v, 0])) } as JobRegionProgress);
    entry[row.verdict] = row.n;
    regions.set(row.region, entry);
  }
  return { regions: [...regions.values()], failures };
}
