import { NextResponse } from "next/server";
import { jobPairs, jobPairsQuerySchema } from "@/lib/certification/job-queries";
import { prisma } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/v1/jobs/:id/pairs?verdict=&region=&category=&q=&limit=&offset=: a
// job's (model, Region) pairs with their latest result, filtered and paged;
// `total` counts every match (viewer).
export const GET = route({ role: "viewer", query: jobPairsQuerySchema }, async ({ params, query }) => {
  if (!(await prisma.certificationJob.findUnique({ where: { id: params.id }, select: { id: true } }))) throw notFound("Certification job");
  return NextResponse.json(await jobPairs(prisma, params.id!, query));
});
