import "server-only";
// Recording what the product noticed, and fanning it out to the webhook
// subscriptions that want it: one delivery row per (subscription, event),
// then one queue job per delivery. Recording is cheap and never waits for a
// receiver; the deliveries run on their own queue (lib/watch/webhooks.ts).
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { deliverWebhookJob } from "@/lib/queue/watch-jobs";
import type { WatchQueue } from "@/lib/queue/queues";
import type { AnyEventKind } from "./event-kinds";

export type WatchDeps = { db: PrismaClient; webhooks: WatchQueue };

export type NewEvent = {
  kind: AnyEventKind;
  modelId?: string | null;
  region?: string | null;
  subjectId?: string | null;
  summary: string;
  details?: Prisma.InputJsonValue;
};

type Subscription = { id: string; eventKinds: string[]; modelIds: string[]; providers: string[]; regions: string[] };

// A filter left empty takes everything; an event that has no model (a Region
// incident) or no Region (a model incident) is not excluded by that filter.
export function subscriptionWants(s: Subscription, e: { kind: string; modelId: string | null; provider: string | null; region: string | null }): boolean {
  if (e.kind === "test") return false;
  if (s.eventKinds.length && !s.eventKinds.includes(e.kind)) return false;
  if (s.modelIds.length && e.modelId && !s.modelIds.includes(e.modelId)) return false;
  if (s.providers.length && e.provider && !s.providers.some((p) => p.toLowerCase() === e.provider!.toLowerCase())) return false;
  if (s.regions.length && e.region && !s.regions.includes(e.region)) return false;
  return true;
}

export async function recordEvent(deps: WatchDeps, event: NewEvent, options: { onlySubscription?: string } = {}) {
  const row = await deps.db.watchEvent.create({
    data: { kind: event.kind, modelId: event.modelId ?? null, region: event.region ?? null, subjectId: event.subjectId ?? null, summary: event.summary, details: event.details ?? undefined },
  });
  await fanOut(deps, row, options);
  return row;
}

async function fanOut(deps: WatchDeps, event: { id: string; kind: string; modelId: string | null; region: string | null }, options: { onlySubscription?: string }) {
  const subscriptions = await deps.db.webhookSubscription.findMany({
    where: options.onlySubscription ? { id: options.onlySubscription } : { enabled: true },
    select: { id: true, eventKinds: true, modelIds: true, providers: true, regions: true },
  });
  if (subscriptions.length === 0) return;
  const provider = event.modelId ? ((await deps.db.aIModel.findUnique({ where: { id: event.modelId }, select: { provider: true } }))?.provider ?? null) : null;
  const wanted = options.onlySubscription ? subscriptions : subscriptions.filter((s) => subscriptionWants(s, { ...event, provider }));
  if (wanted.length === 0) return;
  await deps.db.webhookDelivery.createMany({ data: wanted.map((s) => ({ subscriptionId: s.id, eventId: event.id })), skipDuplicates: true });
  const deliveries = await deps.db.webhookDelivery.findMany({ where: { eventId: event.id, subscriptionId: { in: wanted.map((s) => s.id) } }, select: { id: true } });
  await deps.webhooks.addBulk(deliveries.map((d) => ({ name: deliverWebhookJob.name, data: deliverWebhookJob.schema.parse({ deliveryId: d.id }), opts: { jobId: deliverWebhookJob.jobId(d.id) } })));
}
