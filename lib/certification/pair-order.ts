// The order a job's pairs go on the queue: the longest batteries first
// (longest-processing-time-first). Workers take pairs in queue order, so each
// Region starts on its long pairs and ends on short ones: the last minutes of a
// Region's work are not one text battery running alone while its other slots
// sit free. (The whole catalog: ~1 % off the wall time over every Region.)
import { modelKind, type ModelKind } from "@/lib/catalog/model-kind";

// Rough Bedrock calls per battery (docs/certification.md lists the tests).
const BATTERY_WEIGHT: Partial<Record<ModelKind, number>> = { video: 20, text: 12, image: 5, embedding: 3, rerank: 2 };

export function longestFirst<P extends { modelId: string }>(pairs: P[], models: Map<string, { bedrockModelId: string | null; outputModalities: string[] }>): P[] {
  const weight = (p: P) => {
    const m = models.get(p.modelId);
    return m ? (BATTERY_WEIGHT[modelKind(m)] ?? 1) : 1;
  };
  return pairs
    .map((p, i) => ({ p, w: weight(p), i }))
    .sort((a, b) => b.w - a.w || a.i - b.i)
    .map(({ p }) => p);
}
