// The order a job's pairs go on the queue: the longest batteries first
// (longest-processing-time-first). Workers take pairs in queue order, so each
// Region starts on its long pairs and ends on short ones: the last minutes of a
// Region's work are not one text battery running alone while its other slots
// sit free.
import { modelKind, type ModelKind } from "@/lib/catalog/model-kind";

// Rough Bedrock calls per battery (docs/certification.md lists the tests).
const BATTERY_WEIGHT: Partial<Record<ModelKind, number>> = { video: 20, text: 12, image: 5, embedding: 3, rerank: 2 };

// The pairs, longest first, each with its weight (carried in the queue
// payload: a Region's freed slot goes to its heaviest waiting pair).
export function longestFirst<P extends { modelId: string }>(pairs: P[], models: Map<string, { bedrockModelId: string | null; outputModalities: string[] }>): (P & { weight: number })[] {
  const weight = (p: P) => {
    const m = models.get(p.modelId);
    return m ? (BATTERY_WEIGHT[modelKind(m)] ?? 1) : 1;
  };
  return pairs
    .map((p, i) => ({ p: { ...p, weight: weight(p) }, i }))
    .sort((a, b) => b.p.weight - a.p.weight || a.i - b.i)
    .map(({ p }) => p);
}
