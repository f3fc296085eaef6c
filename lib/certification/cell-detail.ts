import "server-only";
// One cell of the matrix with its history: the cell and its per-test results,
// its last 50 runs, newest first, and what the watch noticed about it (the last
// 20 regressions and catalog changes). The model is named by its catalog or
// Bedrock id. Two round trips: the model, then the rest side by side.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { modelRefWhere } from "@/lib/catalog/model-ref";
import { notFound } from "@/lib/errors";

const CELL_RUNS = 50;
const CELL_EVENTS = 20;

export async function cellDetail(db: PrismaClient, modelRef: string, region: string) {
  const model = await db.aIModel.findFirst({ where: modelRefWhere(modelRef), select: { id: true, bedrockModelId: true, name: true, provider: true } });
  if (!model) throw notFound("Model");
  const [certification, runs, events] = await Promise.all([
    db.modelCertification.findUnique({ where: { modelId_region: { modelId: model.id, region } } }),
    db.certificationRun.findMany({ where: { modelId: model.id, region }, orderBy: { createdAt: "desc" }, take: CELL_RUNS }),
    db.watchEvent.findMany({ where: { modelId: model.id, region }, orderBy: { createdAt: "desc" }, take: CELL_EVENTS }),
  ]);
  if (!certification) throw notFound("Certification");
  return { model, certification, runs, events };
}
