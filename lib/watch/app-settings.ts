import "server-only";
// Installation-wide settings an admin changes in the console, in PostgreSQL
// so that every process (each web process, each worker) reads the same:
// the catalog sync's schedule (CATALOG_SYNC_CRON is only its default) and the
// public status page.
import { z } from "zod";
import { audit, type Actor } from "@/lib/audit";
import { validationError, zodFields } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { cronError, shortestIntervalSeconds } from "./cron";

export const appSettingsSchema = z
  .object({
    // A cron expression (UTC), or "off".
    catalogSyncCron: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .refine((v) => v === "off" || cronError(v) === null, 'must be a cron expression or "off"')
      .refine((v) => v === "off" || cronError(v) !== null || shortestIntervalSeconds(v, "UTC") >= env.SCHEDULE_MIN_INTERVAL_SECONDS, `may not fire more often than SCHEDULE_MIN_INTERVAL_SECONDS`),
    // The public status page and badges (off by default) and its models (Bedrock ids or catalog ids; empty: every enabled model).
    statusPagePublic: z.boolean(),
    statusPageModels: z.array(z.string().min(1).max(200)).max(200),
  })
  .strict();
export type AppSettings = z.infer<typeof appSettingsSchema>;

export async function readSettings(db: PrismaClient, defaults: { catalogSyncCron: string }): Promise<AppSettings> {
  const rows = await db.appSetting.findMany();
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const parsed = appSettingsSchema.partial().safeParse(stored);
  return { catalogSyncCron: defaults.catalogSyncCron, statusPagePublic: false, statusPageModels: [], ...(parsed.success ? parsed.data : {}) };
}

// The keys it changed.
export async function updateSettings(db: PrismaClient, actor: Actor, raw: unknown): Promise<string[]> {
  const parsed = appSettingsSchema.partial().safeParse(raw);
  if (!parsed.success) throw validationError(zodFields(parsed.error, "(body)"));
  const change = Object.entries(parsed.data).filter(([, v]) => v !== undefined);
  await db.$transaction(async (tx) => {
    for (const [key, value] of change) await tx.appSetting.upsert({ where: { key }, create: { key, value: value as never }, update: { value: value as never } });
    await audit(tx, actor, "settings.update", null, Object.fromEntries(change) as never);
  });
  return change.map(([key]) => key);
}
