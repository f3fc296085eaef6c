import "server-only";
// Webhook subscriptions and their deliveries: create, change, delete, send a
// test, replay a delivery. Secrets are shown once, when a subscription is
// created (or given); lists show their last four characters only.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { audit, type Actor } from "@/lib/audit";
import { isModelRef, modelRefsWhere } from "@/lib/catalog/model-ref";
import { notFound, validationError, zodFields, type FieldError } from "@/lib/errors";
import type { PrismaClient, WebhookSubscription } from "@/lib/generated/prisma/client";
import { deliverWebhookJob } from "@/lib/queue/watch-jobs";
import { EVENT_KINDS } from "./event-kinds";
import { recordEvent, type WatchDeps } from "./events";
import { checkWebhookUrl, webhookEgress } from "./egress";

const urlOrigin = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return "(not a URL)";
  }
};

const webhookUrl = z
  .string()
  .trim()
  .max(2000)
  .url("not a URL")
  .refine((u) => /^https?:\/\//i.test(u), "must be an http:// or https:// URL");

const fields = {
  name: z.string().trim().min(1, "name it").max(100),
  url: webhookUrl,
  format: z.enum(["json", "slack"]),
  secret: z.string().min(16, "at least 16 characters").max(200),
  eventKinds: z.array(z.enum(EVENT_KINDS)).max(EVENT_KINDS.length),
  modelIds: z.array(z.string().min(1).max(200)).max(500),
  providers: z.array(z.string().min(1).max(100)).max(100),
  regions: z.array(z.string().regex(/^[a-z]{2,4}(-[a-z]+)+-\d+$/, "not an AWS Region code")).max(50),
  enabled: z.boolean(),
};

export const subscriptionInputSchema = z
  .object({
    ...fields,
    format: fields.format.default("json"),
    secret: fields.secret.optional(),
    eventKinds: fields.eventKinds.default([]),
    modelIds: fields.modelIds.default([]),
    providers: fields.providers.default([]),
    regions: fields.regions.default([]),
    enabled: fields.enabled.default(true),
  })
  .strict();
export const subscriptionChangeSchema = z.object(fields).partial().strict();

export type SubscriptionView = Omit<WebhookSubscription, "secret"> & { secretHint: string };
const view = (s: WebhookSubscription): SubscriptionView => {
  const { secret, ...rest } = s;
  return { ...rest, secretHint: `…${secret.slice(-4)}` };
};

// Model filters are stored as catalog ids, whichever way they were named.
async function resolveModelFilter(db: PrismaClient, refs: string[]): Promise<{ ids: string[]; errors: FieldError[] }> {
  if (refs.length === 0) return { ids: [], errors: [] };
  const rows = await db.aIModel.findMany({ where: modelRefsWhere(refs), select: { id: true, bedrockModelId: true } });
  const errors: FieldError[] = [];
  const ids = refs.flatMap((ref, i) => {
    const m = rows.find((r) => isModelRef(r, ref));
    if (!m) errors.push({ field: `modelIds.${i}`, reason: `unknown model "${ref}"` });
    return m ? [m.id] : [];
  });
  return { ids: [...new Set(ids)], errors };
}

// A URL a delivery may not reach is refused when it is saved (and each
// delivery checks the address it connects to again: lib/watch/egress.ts).
async function checkEgress(url: string) {
  const refused = await checkWebhookUrl(url, webhookEgress());
  if (refused) throw validationError([{ field: "url", reason: refused }]);
}

export async function listSubscriptions(db: PrismaClient): Promise<(SubscriptionView & { failing: number })[]> {
  const subs = await db.webhookSubscription.findMany({ orderBy: { createdAt: "asc" } });
  const failing = await db.webhookDelivery.groupBy({ by: ["subscriptionId"], where: { status: "FAILED" }, _count: true });
  return subs.map((s) => ({ ...view(s), failing: failing.find((f) => f.subscriptionId === s.id)?._count ?? 0 }));
}

export async function createSubscription(db: PrismaClient, actor: Actor, raw: unknown): Promise<SubscriptionView & { secret: string }> {
  const parsed = subscriptionInputSchema.safeParse(raw);
  if (!parsed.success) throw validationError(zodFields(parsed.error, "(body)"));
  const input = parsed.data;
  await checkEgress(input.url);
  const models = await resolveModelFilter(db, input.modelIds);
  if (models.errors.length) throw validationError(models.errors);
  const secret = input.secret ?? randomBytes(24).toString("base64url");
  const created = await db.$transaction(async (tx) => {
    const s = await tx.webhookSubscription.create({ data: { ...input, modelIds: models.ids, secret, createdBy: actor.email } });
    // The URL's scheme and host only: a Slack incoming-webhook URL is a secret.
    await audit(tx, actor, "webhook.create", s.id, { name: s.name, url: urlOrigin(s.url), format: s.format, eventKinds: s.eventKinds });
    return s;
  });
  return { ...view(created), secret };
}

export async function updateSubscription(db: PrismaClient, actor: Actor, id: string, raw: unknown): Promise<SubscriptionView> {
  const parsed = subscriptionChangeSchema.safeParse(raw);
  if (!parsed.success) throw validationError(zodFields(parsed.error, "(body)"));
  const change = parsed.data;
  if (change.url !== undefined) await checkEgress(change.url);
  if (!(await db.webhookSubscription.findUnique({ where: { id }, select: { id: true } }))) throw notFound("Webhook subscription");
  const models = change.modelIds ? await resolveModelFilter(db, change.modelIds) : null;
  if (models?.errors.length) throw validationError(models.errors);
  const updated = await db.$transaction(async (tx) => {
    const s = await tx.webhookSubscription.update({ where: { id }, data: { ...change, ...(models ? { modelIds: models.ids } : {}) } });
    await audit(tx, actor, "webhook.update", id, { fields: Object.keys(change) });
    return s;
  });
  return view(updated);
}

export async function deleteSubscription(db: PrismaClient, actor: Actor, id: string): Promise<void> {
  const gone = await db.$transaction(async (tx) => {
    const d = await tx.webhookSubscription.deleteMany({ where: { id } });
    if (d.count) await audit(tx, actor, "webhook.delete", id);
    return d.count > 0;
  });
  if (!gone) throw notFound("Webhook subscription");
}

// "Send test": an event of kind "test" delivered to this subscription only.
export async function sendTestEvent(deps: WatchDeps, actor: Actor, id: string) {
  const s = await deps.db.webhookSubscription.findUnique({ where: { id }, select: { id: true, name: true } });
  if (!s) throw notFound("Webhook subscription");
  await audit(deps.db, actor, "webhook.test", id);
  const event = await recordEvent(deps, { kind: "test", summary: `Test event for "${s.name}", sent by ${actor.email}` }, { onlySubscription: id });
  return deps.db.webhookDelivery.findUniqueOrThrow({ where: { subscriptionId_eventId: { subscriptionId: id, eventId: event.id } } });
}

export const deliveriesQuerySchema = z
  .object({
    status: z.enum(["PENDING", "DELIVERED", "FAILED"]).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export async function listDeliveries(db: PrismaClient, subscriptionId: string, query: z.output<typeof deliveriesQuerySchema>) {
  if (!(await db.webhookSubscription.findUnique({ where: { id: subscriptionId }, select: { id: true } }))) throw notFound("Webhook subscription");
  return db.webhookDelivery.findMany({
    where: { subscriptionId, ...(query.status ? { status: query.status } : {}) },
    orderBy: { createdAt: "desc" },
    take: query.limit,
    include: { event: { select: { kind: true, summary: true, createdAt: true } } },
  });
}

// Sends a delivery again (a FAILED one, or a DELIVERED one the receiver lost):
// the same event id, so a receiver that kept it can ignore the repeat.
export async function replayDelivery(deps: WatchDeps, actor: Actor, deliveryId: string) {
  const d = await deps.db.webhookDelivery.findUnique({ where: { id: deliveryId } });
  if (!d) throw notFound("Webhook delivery");
  const replays = await deps.db.auditEntry.count({ where: { action: "webhook.replay", target: deliveryId } });
  await deps.db.$transaction(async (tx) => {
    await tx.webhookDelivery.update({ where: { id: deliveryId }, data: { status: "PENDING", lastError: null } });
    await audit(tx, actor, "webhook.replay", deliveryId, { subscriptionId: d.subscriptionId, eventId: d.eventId });
  });
  await deps.webhooks.add(deliverWebhookJob.name, deliverWebhookJob.schema.parse({ deliveryId }), { jobId: deliverWebhookJob.jobId(deliveryId, replays + 1) });
  return { id: deliveryId, status: "PENDING" as const };
}
