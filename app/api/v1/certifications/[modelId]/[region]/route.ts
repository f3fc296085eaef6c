import { NextResponse } from "next/server";
import { prisma } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { modelRefWhere } from "@/lib/catalog/model-ref";

export const dynamic = "force-dynamic";

// GET /api/v1/certifications/:modelId/:region: one cell, its per-test results
// and its last 50 runs, newest first, with what the watch noticed about it
// (regressions, catalog changes; last 20) (viewer). modelId: catalog or Bedrock id.
export const GET = route({ role: "viewer" }, async ({ params }) => {
  const model = await prisma.aIModel.findFirst({ where: modelRefWhere(params.modelId!), select: { id: true, bedrockModelId: true, name: true, provider: true } });
  if (!model) throw notFound("Model");
  const cell = await prisma.modelCertification.findUnique({ where: { modelId_region: { modelId: model.id, region: params.region! } } });
  if (!cell) throw notFound("Certification");
  const [runs, events] = await Promise.all([
    prisma.certificationRun.findMany({ where: { modelId: model.id, region: params.region }, orderBy: { createdAt: "desc" }, take: 50 }),
    prisma.watchEvent.findMany({ where: { modelId: model.id, region: params.region }, orderBy: { createdAt: "desc" }, take: 20 }),
  ]);
  return NextResponse.json({ model, certification: cell, runs, events });
});
