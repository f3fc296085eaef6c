import "server-only";
// Delivering one event to one subscription: the body in the subscription's
// format, signed, with the event's id as an idempotency header; the outcome
// (status code, attempts, last error) on the delivery row. A failed try throws,
// so that BullMQ retries it with backoff; the last one marks it FAILED.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { WatchQueue } from "@/lib/queue/queues";
import { deliverWebhookJob } from "@/lib/queue/watch-jobs";
import { postGuarded, type EgressPolicy } from "./egress";
import { signatureHeader } from "./signature";

export type DeliveryOutcome = { status: "DELIVERED" | "RETRYING" | "FAILED"; code: number | null; error: string | null };

type EventRow = { id: string; kind: string; modelId: string | null; region: string | null; subjectId: string | null; summary: string; details: unknown; createdAt: Date };

export function eventBody(event: EventRow, model: { bedrockModelId: string | null; provider: string } | null, format: string, appUrl: string): string {
  const link = event.kind.startsWith("incident") && event.subjectId ? `${appUrl}/incidents` : event.modelId ? `${appUrl}/models/${event.modelId}` : `${appUrl}/events`;
  if (format === "slack") return JSON.stringify({ text: `[${event.kind}] ${event.summary} <${link}|open>` });
  return JSON.stringify({
    id: event.id,
    kind: event.kind,
    createdAt: event.createdAt.toISOString(),
    summary: event.summary,
    modelId: event.modelId,
    bedrockModelId: model?.bedrockModelId ?? null,
    provider: model?.provider ?? null,
    region: event.region,
    subjectId: event.subjectId,
    details: event.details ?? null,
    link,
  });
}

export async function deliverWebhook(
  deps: { db: PrismaClient; appUrl: string; timeoutMs: number; egress: EgressPolicy },
  deliveryId: string,
  attempt: { number: number; last: boolean },
): Promise<DeliveryOutcome | null> {
  const delivery = await deps.db.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { subscription: true, event: true } });
  // Deleted meanwhile, or delivered by an earlier try whose acknowledgement was lost.
  if (!delivery || delivery.status === "DELIVERED") return null;
  const { subscription, event } = delivery;
  const model = event.modelId ? await deps.db.aIModel.findUnique({ where: { id: event.modelId }, select: { bedrockModelId: true, provider: true } }) : null;
  const body = eventBody(event, model, subscription.format, deps.appUrl);
  const { code, error } = await postGuarded(
    subscription.url,
    {
      "content-type": "application/json",
      "user-agent": "bedrock-region-certification-webhooks",
      "x-certify-event": event.kind,
      "x-certify-event-id": event.id,
      "x-certify-delivery": delivery.id,
      "x-certify-signature": signatureHeader(subscription.secret, body),
    },
    body,
    deps.timeoutMs,
    deps.egress,
  );
  const status = error === null ? "DELIVERED" : attempt.last ? "FAILED" : "RETRYING";
  await deps.db.webhookDelivery.update({
    where: { id: delivery.id },
    data: { status: status === "RETRYING" ? "PENDING" : status, attempts: { increment: 1 }, lastStatusCode: code, lastError: error, deliveredAt: status === "DELIVERED" ? new Date() : null },
  });
  return { status, code, error };
}

// Deliveries PostgreSQL still calls PENDING whose queue job Redis no longer
// holds (a FLUSHALL, a failover, an enqueue that failed after the row was
// written): queued again. The reconciler runs this; `olderThanMs` leaves the
// deliveries being enqueued right now alone.
export async function requeueLostDeliveries(deps: { db: PrismaClient; webhooks: WatchQueue }, olderThanMs: number): Promise<number> {
  const pending = await deps.db.webhookDelivery.findMany({
    where: { status: "PENDING", updatedAt: { lt: new Date(Date.now() - olderThanMs) } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
    take: 500,
  });
  // A replayed delivery's queue job is named by its number of replays.
  const replays = new Map(
    (await deps.db.auditEntry.groupBy({ by: ["target"], where: { action: "webhook.replay", target: { in: pending.map((d) => d.id) } }, _count: true })).map((r) => [r.target, r._count]),
  );
  let requeued = 0;
  for (const d of pending) {
    const jobId = deliverWebhookJob.jobId(d.id, replays.get(d.id) ?? 0);
    const state = await deps.webhooks.getJobState(jobId);
    if (state === "waiting" || state === "delayed" || state === "active" || state === "prioritized" || state === "waiting-children") continue;
    // Gone, or finished without the row saying so: a new queue job for it.
    if (state !== "unknown") await deps.webhooks.remove(jobId).catch(() => 0);
    await deps.webhooks.add(deliverWebhookJob.name, deliverWebhookJob.schema.parse({ deliveryId: d.id }), { jobId });
    requeued++;
  }
  return requeued;
}
