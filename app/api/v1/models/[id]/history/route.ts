import { NextResponse } from "next/server";
import { historyQuerySchema, modelHistory } from "@/lib/certification/model-history";
import { prisma } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { modelRefWhere } from "@/lib/catalog/model-ref";

export const dynamic = "force-dynamic";

// GET /api/v1/models/:id/history?days=90: the model's runs over time, per
// Region, with score and latency (viewer).
export const GET = route({ role: "viewer", query: historyQuerySchema }, async ({ query, params }) => {
  const model = await prisma.aIModel.findFirst({ where: modelRefWhere(params.id!), select: { id: true } });
  if (!model) throw notFound("Model");
  return NextResponse.json({ points: await modelHistory(prisma, model.id, query.days) });
});
