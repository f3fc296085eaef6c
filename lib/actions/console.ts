import "server-only";
// What the console changes, as server actions (app/actions.ts is their "use
// server" face): each a thin edge over the same service verb the route
// handler calls, through the same checks (lib/http/action.ts).
import { z } from "zod";
import { auth } from "@/lib/auth/auth";
import { setModelEnabled, setRegionEnabled } from "@/lib/catalog/admin";
import { JOB_ACTION_NAMES, runJobAction, startCertificationJob } from "@/lib/certification/jobs";
import { prisma } from "@/lib/db/client";
import { defineAction } from "@/lib/http/action";
import { env } from "@/lib/env";
import { appCatalogWatchDeps, appJobDeps, appWatchDeps } from "@/lib/queue/app-queue";
import { changeSettings } from "@/lib/watch/settings-change";
import { syncCatalogAndWatch } from "@/lib/watch/catalog-watch";
import { createSchedule, deleteSchedule, runScheduleNow, updateSchedule } from "@/lib/watch/schedules";
import { createSubscription, deleteSubscription, replayDelivery, sendTestEvent, updateSubscription } from "@/lib/watch/subscriptions";

const id = z.string().min(1).max(200);

// The job input is checked by the service's own schema (its field errors are
// named as in POST /api/v1/jobs); the key makes a double submit one job.
export const startJob = defineAction(
  {
    role: "admin",
    input: z
      .object({
        job: z.unknown(),
        idempotencyKey: z
          .string()
          .regex(/^[\w.:-]{8,200}$/)
          .optional(),
      })
      .strict(),
  },
  ({ actor, input }) => startCertificationJob(appJobDeps(), actor, input.job, { idempotencyKey: input.idempotencyKey }),
);

export const changeJob = defineAction({ role: "admin", input: z.object({ id, action: z.enum(JOB_ACTION_NAMES) }).strict() }, async ({ actor, input }) => {
  const { job, retried } = await runJobAction(appJobDeps(), actor, input.id, input.action);
  return { status: job.status, retried };
});

export const enableModel = defineAction({ role: "admin", input: z.object({ id, enabled: z.boolean() }).strict() }, async ({ actor, input }) => {
  const model = await setModelEnabled(prisma, actor, input.id, input.enabled);
  return { id: model.id, enabled: model.enabled };
});

export const enableRegion = defineAction({ role: "admin", input: z.object({ code: id, enabled: z.boolean() }).strict() }, async ({ actor, input }) => {
  const region = await setRegionEnabled(prisma, actor, input.code, input.enabled);
  return { code: region.code, enabled: region.enabled };
});

// The catalog watch runs after every sync, whoever started it (lib/watch/catalog-watch.ts).
export const syncTheCatalog = defineAction({ role: "admin", input: z.object({}).strict() }, ({ actor }) => syncCatalogAndWatch(appCatalogWatchDeps(), actor));

// Schedules (lib/watch/schedules.ts): the service checks the input with its own schema.
export const createTheSchedule = defineAction({ role: "admin", input: z.unknown() }, ({ actor, input }) => createSchedule(appWatchDeps(), actor, input));
export const changeSchedule = defineAction({ role: "admin", input: z.object({ id, change: z.unknown() }).strict() }, ({ actor, input }) =>
  updateSchedule(appWatchDeps(), actor, input.id, input.change),
);
export const removeSchedule = defineAction({ role: "admin", input: z.object({ id }).strict() }, ({ actor, input }) => deleteSchedule(appWatchDeps(), actor, input.id));
export const runTheSchedule = defineAction({ role: "admin", input: z.object({ id }).strict() }, ({ actor, input }) => runScheduleNow(appJobDeps(), actor, input.id));

// Webhook subscriptions and deliveries (lib/watch/subscriptions.ts).
export const createWebhook = defineAction({ role: "admin", input: z.unknown() }, ({ actor, input }) => createSubscription(prisma, actor, input));
export const changeWebhook = defineAction({ role: "admin", input: z.object({ id, change: z.unknown() }).strict() }, ({ actor, input }) => updateSubscription(prisma, actor, input.id, input.change));
export const removeWebhook = defineAction({ role: "admin", input: z.object({ id }).strict() }, ({ actor, input }) => deleteSubscription(prisma, actor, input.id));
export const testWebhook = defineAction({ role: "admin", input: z.object({ id }).strict() }, ({ actor, input }) => sendTestEvent(appWatchDeps(), actor, input.id));
export const replayTheDelivery = defineAction({ role: "admin", input: z.object({ id }).strict() }, ({ actor, input }) => replayDelivery(appWatchDeps(), actor, input.id));

// Installation settings (lib/watch/app-settings.ts); a new catalog schedule takes effect at once.
export const changeTheSettings = defineAction({ role: "admin", input: z.unknown() }, ({ actor, input }) => changeSettings(appWatchDeps(), actor, input, env.CATALOG_SYNC_CRON));

// A user's own API tokens (any role): through the auth library, which records
// them (and its hook audits them).
export const createToken = defineAction(
  {
    role: "viewer",
    input: z.object({ name: z.string().trim().min(1, "give it a name").max(64, "64 characters at most"), expiresInDays: z.coerce.number().int().min(1).max(3650).optional() }).strict(),
  },
  async ({ input, headers }) => {
    const created = await auth.api.createApiKey({ body: { name: input.name, ...(input.expiresInDays ? { expiresIn: input.expiresInDays * 86_400 } : {}) }, headers });
    return { id: created.id, key: created.key };
  },
);

export const revokeToken = defineAction({ role: "viewer", input: z.object({ id }).strict() }, async ({ input, headers }) => {
  await auth.api.deleteApiKey({ body: { keyId: input.id }, headers });
  return { id: input.id };
});
