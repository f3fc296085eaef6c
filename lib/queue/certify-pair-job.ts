// The one queue job of the product: certify one (model, Region) pair of a
// certification job. Name, payload schema and id are defined once, here; the
// app enqueues with them and the worker parses every payload again.
import { z } from "zod";
import type { PairOutcome } from "@/lib/certification/certify-pair";
import { MAX_WEIGHT_MS } from "@/lib/certification/pair-order";

export const certifyPairPayloadSchema = z
  .object({
    jobId: z.string().min(1),
    pairId: z.string().min(1),
    modelId: z.string().min(1),
    region: z.string().regex(/^[a-z]{2,4}(-[a-z]+)+-\d+$/),
    round: z.number().int().nonnegative(),
    // How long its battery is expected to run, in milliseconds
    // (lib/certification/pair-order.ts): pairs waiting for a Region slot get
    // it longest first.
    weight: z.number().int().min(0).max(MAX_WEIGHT_MS).optional(),
    // Set once the battery has run: a retry after an infrastructure failure
    // (PostgreSQL briefly down) records it instead of certifying again.
    result: z.custom<PairOutcome>((v) => typeof v === "object" && v !== null && "status" in v).optional(),
    // How many times the pair went back to the queue because Bedrock kept
    // throttling it (config.throttleRequeues is the budget).
    throttleRequeues: z.number().int().nonnegative().optional(),
    // Throttled attempts of the runs that went back to the queue, so that the
    // result counts every throttle of the pair.
    throttlesBefore: z.number().int().nonnegative().optional(),
  })
  .strict();

export type CertifyPairPayload = z.infer<typeof certifyPairPayloadSchema>;

export const certifyPairJob = {
  name: "certify-pair",
  schema: certifyPairPayloadSchema,
  // Deterministic: enqueuing the same pair and round twice adds it once.
  // (BullMQ job ids may not contain ":".)
  jobId: (p: { pairId: string; round: number }) => `pair_${p.pairId}_r${p.round}`,
} as const;
