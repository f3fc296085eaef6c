import "server-only";
// The embedding battery, through InvokeModel in the provider's body format:
// a vector of the model's dimension, finite and non-degenerate, the same for the
// same text and different for different texts.
import { embeddingDimensionSpec } from "@/lib/catalog/embedding-dimensions";
import { EMBEDDING_TESTS } from "../config";
import type { TestResult } from "../results";
import { invokeJson, runBattery, runTest, Skip, type Battery } from "./harness";
import { nonce, pickOne } from "./probes";

function requestBody(modelId: string, text: string): unknown {
  if (modelId.startsWith("cohere.")) return { texts: [text], input_type: "search_document" };
  if (modelId.startsWith("amazon.nova") && modelId.includes("embedding")) {
    return { taskType: "SINGLE_EMBEDDING", singleEmbeddingParams: { embeddingPurpose: "GENERIC_INDEX", text: { truncationMode: "END", value: text } } };
  }
  return { inputText: text };
}

// The first vector of any of the providers' response shapes.
type EmbeddingShapes = { embedding?: unknown; embeddings?: { float?: unknown[] } & ({ embedding?: unknown } | unknown)[] };
export function vectorOf(body: unknown): number[] | null {
  const b = (body ?? {}) as EmbeddingShapes;
  const first = b.embeddings?.[0] as { embedding?: unknown } | undefined;
  const candidate = b.embedding ?? b.embeddings?.float?.[0] ?? first?.embedding ?? first;
  return Array.isArray(candidate) ? candidate : null;
}

// Over whole vectors: vectors of different lengths are not comparable (the
// caller checks lengths first).
const cosine = (a: number[], b: number[]) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return dot / (Math.sqrt(na) * Math.sqrt(nb) || 1);
};

export async function runEmbeddingBattery(b: Battery): Promise<TestResult[]> {
  const latencies: number[] = [];
  const embed = async (text: string) => {
    const { value, ms } = await invokeJson(b, requestBody(b.model.bedrockModelId, text));
    latencies.push(ms);
    return { vector: vectorOf(value), ms };
  };

  // Fresh texts every run: a cached or canned vector cannot pass.
  const sample = `Amazon Bedrock certifies foundation models Region by Region (${nonce("RUN")}).`;
  let first: number[] | null = null;
  const expected = embeddingDimensionSpec(b.model.bedrockModelId)?.default ?? null;

  const tests: Record<(typeof EMBEDDING_TESTS)[number], () => Promise<TestResult>> = {
    reachability: () =>
      runTest("reachability", async () => {
        const { vector, ms } = await embed(sample);
        first = vector;
        return { passed: vector !== null && vector.length > 0, detail: vector ? `Returned a vector of ${vector.length} numbers` : "The response has no embedding vector", latencyMs: ms };
      }),
    dimension: () =>
      runTest("dimension", async () => {
        if (!first?.length) return { passed: false, detail: "No vector came back", latencyMs: null };
        // Not EXCELLENT while unverified (scoring.ts): the determinism test still compares it with itself.
        if (expected === null) throw new Skip(`Unverified: ${first!.length} dimensions seen; AWS documents no dimension for this model here`);
        return { passed: first!.length === expected, detail: `Expected the documented ${expected} dimensions, got ${first!.length}`, latencyMs: null, metrics: { dimensions: first!.length } };
      }),
    vector_sanity: () =>
      runTest("vector_sanity", async () => {
        if (!first?.length) return { passed: false, detail: "No vector came back", latencyMs: null };
        const v = first;
        const finite = v.every((x) => typeof x === "number" && Number.isFinite(x));
        const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
        const distinct = new Set(v).size > 1;
        return {
          passed: finite && norm > 0 && distinct,
          detail: `finite: ${finite}, norm ${norm.toFixed(4)}, ${new Set(v).size} distinct values`,
          latencyMs: null,
          metrics: { norm: Math.round(norm * 1e4) / 1e4 },
        };
      }),
    determinism: () =>
      runTest("determinism", async () => {
        if (!first?.length) return { passed: false, detail: "No vector came back", latencyMs: null };
        const again = await embed(sample);
        const related = await embed(`Foundation models are certified on Amazon Bedrock, one Region at a time (${nonce("RUN")}).`);
        const other = await embed(`A completely different sentence about ${pickOne(["lighthouses and the sea", "mountain trains", "desert gardens", "winter markets"])} (${nonce("RUN")}).`);
        const ms = again.ms + related.ms + other.ms;
        const lengths = [first!.length, again.vector?.length ?? 0, related.vector?.length ?? 0, other.vector?.length ?? 0];
        if (new Set(lengths).size !== 1) return { passed: false, detail: `Vectors of different lengths for the same model: ${lengths.join(", ")}`, latencyMs: ms };
        if (![again, related, other].every((r) => r.vector!.every((x) => typeof x === "number" && Number.isFinite(x))))
          return { passed: false, detail: "A later vector has numbers that are not finite", latencyMs: ms };
        // Stable for the same text, and closer for a paraphrase than for an
        // unrelated text: a random vector on every call fails both.
        const same = cosine(first!, again.vector!);
        const near = cosine(first!, related.vector!);
        const far = cosine(first!, other.vector!);
        const passed = same >= 0.99 && near > far;
        return {
          passed,
          detail: `cosine(same text) ${same.toFixed(4)} (≥ 0.99); paraphrase ${near.toFixed(4)} ${near > far ? ">" : "≤"} unrelated ${far.toFixed(4)}`,
          latencyMs: ms,
          metrics: { sameCosine: Math.round(same * 1e4) / 1e4, paraphraseCosine: Math.round(near * 1e4) / 1e4, unrelatedCosine: Math.round(far * 1e4) / 1e4 },
        };
      }),
    latency: () =>
      runTest("latency", async () => {
        const slowest = Math.max(...latencies);
        return {
          passed: slowest <= b.config.thresholds.maxLatencyMs,
          detail: `slowest call ${Math.round(slowest)} ms (limit ${b.config.thresholds.maxLatencyMs} ms)`,
          latencyMs: null,
          metrics: { maxLatencyMs: Math.round(slowest) },
        };
      }),
  };

  return runBattery(EMBEDDING_TESTS, b.config, tests, "Not run: no vector came back");
}
