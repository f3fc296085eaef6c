import "server-only";
// Admins enable and disable models and Regions: disabled ones keep their
// history but are left out of new jobs. Each change is audited with it.
import { audit, type Actor } from "@/lib/audit";
import { notFound } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { modelRefWhere } from "./model-ref";

export async function setModelEnabled(db: PrismaClient, actor: Actor, ref: string, enabled: boolean) {
  const model = await db.aIModel.findFirst({ where: modelRefWhere(ref), select: { id: true } });
  if (!model) throw notFound("Model");
  const [updated] = await db.$transaction([db.aIModel.update({ where: { id: model.id }, data: { enabled } }), audit(db, actor, enabled ? "model.enable" : "model.disable", model.id)]);
  return updated;
}

export async function setRegionEnabled(db: PrismaClient, actor: Actor, code: string, enabled: boolean) {
  const region = await db.region.findUnique({ where: { code }, select: { code: true } });
  if (!region) throw notFound("Region");
  const [updated] = await db.$transaction([db.region.update({ where: { code }, data: { enabled } }), audit(db, actor, enabled ? "region.enable" : "region.disable", code)]);
  return updated;
}
