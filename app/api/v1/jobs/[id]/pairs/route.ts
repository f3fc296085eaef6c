import { NextResponse } from "next/server";
import { jobPairs } from "@/lib/certification/job-queries";
import { prisma } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/v1/jobs/:id/pairs: every (model, Region) pair of a job with its
// latest result (viewer).
export const GET = route({ role: "viewer" }, async ({ params }) => {
  if (!(await prisma.certificationJob.findUnique({ where: { id: params.id }, select: { id: true } }))) throw notFound("Certification job");
  return NextResponse.json({ pairs: await jobPairs(prisma, params.id!) });
});
