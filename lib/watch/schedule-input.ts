// What an admin may say about a schedule. Checked with zod at the edges and
// again by the service (lib/watch/schedules.ts).
import { z } from "zod";
import { certificationConfigSchema } from "@/lib/certification/config";
import { LIMITS } from "@/lib/certification/job-input";
import { cronError } from "./cron";

const regionCode = z.string().regex(/^[a-z]{2,4}(-[a-z]+)+-\d+$/, "not an AWS Region code");
const list = <T extends z.ZodTypeAny>(item: T, what: string, max: number) =>
  z
    .array(item)
    .min(1, `choose at least one ${what}`)
    .max(max, `at most ${max}`)
    .refine((v) => new Set(v).size === v.length, `must not repeat a ${what}`);

export const MODEL_KINDS = ["text", "embedding", "image", "video", "speech", "rerank"] as const;

export const scheduleTargetSchema = z
  .object({
    models: z.discriminatedUnion("mode", [
      z.object({ mode: z.literal("all") }).strict(),
      z.object({ mode: z.literal("providers"), providers: list(z.string().min(1).max(100), "provider", 100) }).strict(),
      z.object({ mode: z.literal("kinds"), kinds: list(z.enum(MODEL_KINDS), "kind", MODEL_KINDS.length) }).strict(),
      z.object({ mode: z.literal("list"), modelIds: list(z.string().min(1).max(200), "model", LIMITS.models) }).strict(),
    ]),
    regions: z.discriminatedUnion("mode", [
      z.object({ mode: z.literal("all") }).strict(),
      z.object({ mode: z.literal("geographies"), geographies: list(z.string().min(1).max(100), "geography", 20) }).strict(),
      z.object({ mode: z.literal("list"), regions: list(regionCode, "Region", LIMITS.regions) }).strict(),
    ]),
  })
  .strict();
export type ScheduleTarget = z.infer<typeof scheduleTargetSchema>;

const fields = {
  name: z.string().trim().min(1, "name it").max(100),
  cron: z.string().trim().min(1, "give a cron expression").max(100),
  timezone: z.string().min(1).max(64),
  target: scheduleTargetSchema,
  config: certificationConfigSchema,
  // Only cells certified longer ago than this, or never; null: every pair.
  olderThanHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .nullable(),
  paused: z.boolean(),
};

function checkCron(v: { cron?: string; timezone?: string }, ctx: z.RefinementCtx) {
  if (v.cron === undefined && v.timezone === undefined) return;
  const why = cronError(v.cron ?? "* * * * *", v.timezone ?? "UTC");
  if (why) ctx.addIssue({ code: "custom", path: [why.includes("time zone") ? "timezone" : "cron"], message: why });
}

export const scheduleInputSchema = z
  .object({
    ...fields,
    timezone: fields.timezone.default("UTC"),
    config: certificationConfigSchema.default(certificationConfigSchema.parse({})),
    olderThanHours: fields.olderThanHours.default(null),
    paused: fields.paused.default(false),
  })
  .strict()
  .superRefine(checkCron);
// A change: any of the fields, no defaults (a field left out stays as it is;
// the service checks cron and time zone together with the stored ones).
export const scheduleChangeSchema = z.object(fields).partial().strict();
export type ScheduleInput = z.input<typeof scheduleInputSchema>;
