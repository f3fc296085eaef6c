import "server-only";
// Admins enable and disable models and Regions: disabled ones keep their
// history but are left out of new jobs.
import { notFound } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export async function setModelEnabled(db: PrismaClient, ref: string, enabled: boolean) {
  const model = await db.aIModel.findFirst({ where: { OR: [{ id: ref }, { bedrockModelId: ref }] }, select: { id: true } });
  if (!model) throw notFound("Model");
  return db.aIModel.update({ where: { id: model.id }, data: { enabled } });
}

export async function setRegionEnabled(db: PrismaClient, code: string, enabled: boolean) {
  const updated = await db.region.updateMany({ where: { code }, data: { enabled } });
  if (updated.count === 0) throw notFound("Region");
  return db.region.findUniqueOrThrow({ where: { code } });
}
