import { NextResponse } from "next/server";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { appJobDeps } from "@/lib/queue/app-queue";

export const dynamic = "force-dynamic";

// GET /api/v1/jobs/:id: a job with its counters (viewer).
export const GET = route({ role: "viewer" }, async ({ params }) => {
  const job = await appJobDeps().db.certificationJob.findUnique({ where: { id: params.id }, omit: { idempotencyKey: true } });
  if (!job) throw notFound("Certification job");
  return NextResponse.json(job);
});
