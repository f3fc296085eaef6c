import "server-only";
// Reading jobs: the list with filters (status, type, who started it, since
// when) newest first, paged with a cursor.
import { z } from "zod";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { CertificationJobType, JobStatus } from "@/lib/generated/prisma/enums";
import { csv } from "./queries";

export const jobFilterSchema = z
  .object({
    status: csv(z.enum(Object.values(JobStatus) as [JobStatus, ...JobStatus[]])).optional(),
    type: csv(z.enum(Object.values(CertificationJobType) as [CertificationJobType, ...CertificationJobType[]])).optional(),
    createdBy: z.string().min(1).max(200).optional(),
    // Jobs created at or after this instant.
    since: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
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
  score: number | null;
  errorCategory: string | null;
  errorMessage: string | null;
  completedAt: Date | null;
};

// A job's pairs with the result of each one's latest run (by model and Region).
export async function jobPairs(db: PrismaClient, jobId: string): Promise<JobPairRow[]> {
  return db.$queryRaw<JobPairRow[]>`
    SELECT p.id, p.model_id AS "modelId", m.bedrock_model_id AS "bedrockModelId", m.name AS "modelName", p.region, p.status::text AS status, p.round,
           p.passed, r.score, r.error_category::text AS "errorCategory", r.error_message AS "errorMessage", p.completed_at AS "completedAt"
      FROM certification_job_pairs p
      JOIN ai_models m ON m.id = p.model_id
      LEFT JOIN certification_runs r ON r.id = p.run_id
     WHERE p.job_id = ${jobId}
     ORDER BY m.provider, m.name, p.region`;
}
