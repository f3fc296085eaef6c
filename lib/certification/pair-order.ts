// The order a job's pairs go on the queue: the longest batteries first
// (longest-processing-time-first). Workers take pairs in queue order, so each
// Region starts on its long pairs and ends on short ones: the last minutes of a
// Region's work are not one long battery running alone while its other slots
// sit free.
//
// How long is a battery? Best known from the pair's own last tried run (the
// same model, Region and battery against the same Bedrock): text batteries
// alone range from a few seconds to well over ten, by the model's speed. A pair
// never tried yet is guessed from its kind's rough call count. With every text
// pair guessed alike, the whole catalog over every Region at Bedrock-like
// latency ended up to a quarter above its ideal: the last pairs a Region
// started could be its slowest.
import { modelKind, type ModelKind } from "@/lib/catalog/model-kind";

// Rough Bedrock calls per battery (docs/certification.md lists the tests).
const BATTERY_CALLS: Partial<Record<ModelKind, number>> = { video: 20, text: 12, image: 5, embedding: 3, rerank: 2 };
// A guessed call's milliseconds: generous, so that a pair never tried goes
// before pairs known to be quick.
const GUESSED_CALL_MS = 1_000;
// Weights are milliseconds, capped (the queue payload's bound).
export const MAX_WEIGHT_MS = 3_600_000;

// The SQL that reads a pair's last tried battery time: its cell's duration when
// the cell was last tried (`passed` set; a pair settled by its availability
// leaves it null). Joined to the pairs under `pairs`, it is `last_tried_ms`.
// (Every statement that queues pairs reads it the same way: creation, resume
// and retry, the reconciler.)
export const lastTriedMsJoin = (pairs: string) => `LEFT JOIN model_certifications last ON last.model_id = ${pairs}.model_id AND last.region = ${pairs}.region AND last.passed IS NOT NULL`;
export const LAST_TRIED_MS = "last.duration AS last_tried_ms";

type Model = { bedrockModelId: string | null; outputModalities: string[] };

// The pair's expected battery time in milliseconds.
export function expectedBatteryMs(model: Model | undefined, lastTriedMs: number | null | undefined): number {
  const ms = lastTriedMs != null && lastTriedMs > 0 ? lastTriedMs : (model ? (BATTERY_CALLS[modelKind(model)] ?? 1) : 1) * GUESSED_CALL_MS;
  return Math.min(MAX_WEIGHT_MS, Math.round(ms));
}

// The pairs, longest first, each with its weight (carried in the queue
// payload: a Region's freed slot goes to its heaviest waiting pair).
export function longestFirst<P extends { modelId: string; lastTriedMs?: number | null }>(pairs: P[], models: Map<string, Model>): (P & { weight: number })[] {
  return pairs
    .map((p, i) => ({ p: { ...p, weight: expectedBatteryMs(models.get(p.modelId), p.lastTriedMs) }, i }))
    .sort((a, b) => b.p.weight - a.p.weight || a.i - b.i)
    .map(({ p }) => p);
}
