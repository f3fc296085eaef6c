// What a client may ask for when starting a certification job. Checked with zod
// at the edge (the API) and again by the service; limits keep a single request
// from asking for an unbounded amount of work.
import { z } from "zod";
import { certificationConfigSchema } from "./config";

// pairs: the whole catalog of a large installation (600+ models × 33 Regions).
export const LIMITS = { regions: 50, models: 500, pairs: 25_000 } as const;

const regionCode = z.string().regex(/^[a-z]{2,4}(-[a-z]+)+-\d+$/, "not an AWS Region code");
const modelRef = z.string().min(1).max(200);
const regions = z
  .array(regionCode)
  .min(1, "choose at least one Region")
  .max(LIMITS.regions, `at most ${LIMITS.regions} Regions`)
  .refine((r) => new Set(r).size === r.length, "must not repeat a Region");
const modelIds = (min: number, max: number) =>
  z
    .array(modelRef)
    .min(min, min === 1 ? "choose at least one model" : `choose at least ${min} models`)
    .max(max, `at most ${max} models`)
    .refine((m) => new Set(m).size === m.length, "must not repeat a model");

const config = certificationConfigSchema.default(certificationConfigSchema.parse({}));

export const startJobInputSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("SINGLE_MODEL"), modelIds: modelIds(1, 1), regions, config }).strict(),
  z.object({ type: z.literal("MULTIPLE_MODELS"), modelIds: modelIds(1, LIMITS.models), regions, config }).strict(),
  z.object({ type: z.literal("ALL_MODELS"), regions, config }).strict(),
  z
    .object({
      type: z.literal("RECERTIFY"),
      // Which cells: those whose current certification failed, those older than
      // a given age (or never finished), or a chosen set.
      recertify: z.discriminatedUnion("mode", [
        z.object({ mode: z.literal("failed") }).strict(),
        z
          .object({
            mode: z.literal("stale"),
            olderThanHours: z
              .number()
              .positive()
              .max(24 * 365),
          })
          .strict(),
        z
          .object({
            mode: z.literal("pairs"),
            pairs: z
              .array(z.object({ modelId: modelRef, region: regionCode }).strict())
              .min(1, "choose at least one pair")
              .max(LIMITS.pairs, `at most ${LIMITS.pairs} pairs`),
          })
          .strict(),
      ]),
      // Optional narrowing of "failed" and "stale" to some Regions or models.
      regions: regions.optional(),
      modelIds: modelIds(1, LIMITS.models).optional(),
      config,
    })
    .strict(),
]);

export type StartJobInput = z.input<typeof startJobInputSchema>;
export type ParsedStartJobInput = z.output<typeof startJobInputSchema>;
