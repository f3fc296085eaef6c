import { NextResponse } from "next/server";
import { jobOverview } from "@/lib/certification/job-queries";
import { prisma } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/v1/jobs/:id/overview: the job's pairs by Region and verdict, and its
// failures grouped by error category with the first examples (viewer).
export const GET = route({ role: "viewer" }, async ({ params }) => {
  if (!(await prisma.certificationJob.findUnique({ where: { id: params.id }, select: { id: true } }))) throw notFound("Certification job");
  return NextResponse.json(await jobOverview(prisma, params.id!));
});
