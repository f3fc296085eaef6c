import { NextResponse } from "next/server";
import { z } from "zod";
import { startJobInputSchema } from "@/lib/certification/job-input";
import { startCertificationJob } from "@/lib/certification/jobs";
import { jobFilterSchema, listJobs } from "@/lib/certification/job-queries";
import { problem, route } from "@/lib/http/route";
import { appJobDeps } from "@/lib/queue/app-queue";

export const dynamic = "force-dynamic";

const idempotencyKey = z
  .string()
  .min(8)
  .max(200)
  .regex(/^[\w.:-]+$/);

// POST /api/v1/jobs: start a certification job (admin). The body is checked by
// the service's own zod schema (lib/certification/job-input.ts). An
// Idempotency-Key header makes a retried request return the same job.
export const POST = route({ role: "admin", body: startJobInputSchema }, async ({ actor, body, request }) => {
  const key = request.headers.get("idempotency-key");
  if (key !== null && !idempotencyKey.safeParse(key).success) {
    return problem(400, "validation", "The request is not valid.", [{ field: "Idempotency-Key", reason: "8-200 characters of letters, digits, . _ : -" }]);
  }
  const job = await startCertificationJob(appJobDeps(), actor, body, { idempotencyKey: key ?? undefined });
  return NextResponse.json({ id: job.id, created: job.created }, { status: job.created ? 201 : 200, headers: { Location: `/api/v1/jobs/${job.id}` } });
});

// GET /api/v1/jobs: jobs newest first, filtered and paged (viewer).
export const GET = route({ role: "viewer", query: jobFilterSchema }, async ({ query }) => {
  return NextResponse.json(await listJobs(appJobDeps().db, query));
});
