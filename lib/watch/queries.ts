import "server-only";
// Reading what the watch noticed: the event feed (newest first, a cursor for
// older ones) and incidents (open first, each with its timeline).
import { z } from "zod";
import { modelRefWhere } from "@/lib/catalog/model-ref";
import { notFound } from "@/lib/errors";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { instant } from "@/lib/certification/queries";
import { EVENT_KINDS } from "./event-kinds";

export const eventsQuerySchema = z
  .object({
    kind: z.enum([...EVENT_KINDS, "test"]).optional(),
    modelId: z.string().min(1).max(200).optional(),
    region: z.string().min(1).max(50).optional(),
    // The `createdAt` of the last event of the previous page.
    before: instant.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export async function listEvents(db: PrismaClient, q: z.output<typeof eventsQuerySchema>) {
  const where: Prisma.WatchEventWhereInput = {
    ...(q.kind ? { kind: q.kind } : {}),
    // A catalog or Bedrock id, as everywhere (lib/catalog/model-ref.ts).
    ...(q.modelId ? { modelId: (await db.aIModel.findFirst({ where: modelRefWhere(q.modelId), select: { id: true } }))?.id ?? q.modelId } : {}),
    ...(q.region ? { region: q.region } : {}),
    ...(q.before ? { createdAt: { lt: q.before } } : {}),
  };
  const events = await db.watchEvent.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: q.limit });
  const models = await db.aIModel.findMany({ where: { id: { in: [...new Set(events.flatMap((e) => (e.modelId ? [e.modelId] : [])))] } }, select: { id: true, name: true, bedrockModelId: true } });
  const byId = new Map(models.map((m) => [m.id, m]));
  return {
    events: events.map((e) => ({ ...e, model: e.modelId ? (byId.get(e.modelId) ?? null) : null })),
    next: events.length === q.limit ? events.at(-1)!.createdAt.toISOString() : null,
  };
}

export const incidentsQuerySchema = z
  .object({
    status: z.enum(["OPEN", "RESOLVED"]).optional(),
    scope: z.enum(["model", "region"]).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

async function withSubjects<T extends { scope: string; subject: string }>(db: PrismaClient, incidents: T[]) {
  const models = await db.aIModel.findMany({
    where: { id: { in: incidents.filter((i) => i.scope === "model").map((i) => i.subject) } },
    select: { id: true, name: true, bedrockModelId: true, provider: true },
  });
  return incidents.map((i) => ({ ...i, model: i.scope === "model" ? (models.find((m) => m.id === i.subject) ?? null) : null }));
}

export async function listIncidents(db: PrismaClient, q: z.output<typeof incidentsQuerySchema>) {
  const incidents = await db.incident.findMany({
    where: { ...(q.status ? { status: q.status } : {}), ...(q.scope ? { scope: q.scope } : {}) },
    orderBy: [{ status: "asc" }, { openedAt: "desc" }],
    take: q.limit,
    omit: { timeline: true },
  });
  return { incidents: await withSubjects(db, incidents) };
}

export async function getIncident(db: PrismaClient, id: string) {
  const incident = await db.incident.findUnique({ where: { id } });
  if (!incident) throw notFound("Incident");
  return (await withSubjects(db, [incident]))[0]!;
}
