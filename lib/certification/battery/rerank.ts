import "server-only";
// The rerank battery (Cohere Rerank 3.5, Amazon Rerank 1.0), through
// InvokeModel: a query and documents fresh every run, one of which answers it;
// that one must rank first, with scores that are well formed and ordered.
import { RERANK_TESTS } from "../config";
import type { TestResult } from "../results";
import { invokeJson, runBattery, runTest, type Battery } from "./harness";
import { pickOne } from "./probes";

const CAPITALS = [
  { country: "Portugal", capital: "Lisbon" },
  { country: "Norway", capital: "Oslo" },
  { country: "Kenya", capital: "Nairobi" },
  { country: "Peru", capital: "Lima" },
  { country: "Vietnam", capital: "Hanoi" },
  { country: "Chile", capital: "Santiago" },
] as const;
const DISTRACTORS = [
  "Lighthouses guide ships along rocky coasts at night.",
  "Sourdough bread rises slowly in a cool kitchen.",
  "Trains in the mountains climb with rack railways.",
  "Honey bees dance to tell each other where flowers are.",
];

type Ranked = { index: number; relevance_score: number };

export async function runRerankBattery(b: Battery): Promise<TestResult[]> {
  const { country, capital } = pickOne(CAPITALS);
  // The answer sits among distractors, one of them about the same country.
  const documents = [...DISTRACTORS.slice(0, 3), `${country} is famous for its landscapes and its food.`];
  const answerAt = Math.floor(Math.random() * (documents.length + 1));
  documents.splice(answerAt, 0, `The capital of ${country} is ${capital}, the seat of its government.`);
  const query = `What is the capital of ${country}?`;
  let results: Ranked[] | null = null;
  let latency = 0;

  const tests: Record<(typeof RERANK_TESTS)[number], () => Promise<TestResult>> = {
    reachability: () =>
      runTest("reachability", async () => {
        const body = { query, documents, top_n: documents.length, ...(b.model.bedrockModelId.startsWith("cohere.") ? { api_version: 2 } : {}) };
        const { value, ms } = await invokeJson(b, body);
        latency = ms;
        const parsed = (value ?? {}) as { results?: Ranked[] };
        results = Array.isArray(parsed.results) && parsed.results.length > 0 ? parsed.results : null;
        return { passed: results !== null, detail: results ? `Ranked ${results.length} documents in ${Math.round(ms)} ms` : "The response has no ranked results", latencyMs: ms };
      }),
    ranking: () =>
      runTest("ranking", async () => {
        const top = results?.[0];
        return { passed: top?.index === answerAt, detail: `Expected document ${answerAt} (the one naming ${capital}) first, got ${top ? `document ${top.index}` : "nothing"}`, latencyMs: null };
      }),
    scores: () =>
      runTest("scores", async () => {
        const r = results ?? [];
        const problems: string[] = [];
        if (r.length !== documents.length) problems.push(`${r.length} results for ${documents.length} documents (top_n ${documents.length})`);
        if (new Set(r.map((x) => x.index)).size !== r.length || r.some((x) => !Number.isInteger(x.index) || x.index < 0 || x.index >= documents.length))
          problems.push("indexes are not distinct documents of the request");
        if (r.some((x) => typeof x.relevance_score !== "number" || !(x.relevance_score >= 0 && x.relevance_score <= 1))) problems.push("a relevance score is not a number from 0 to 1");
        if (r.some((x, i) => i > 0 && x.relevance_score > r[i - 1]!.relevance_score)) problems.push("results are not ordered by relevance");
        return { passed: problems.length === 0, detail: problems.length ? problems.join("; ") : "One distinct, ordered score from 0 to 1 per document", latencyMs: null };
      }),
    latency: () =>
      runTest("latency", async () => ({
        passed: latency <= b.config.thresholds.maxLatencyMs,
        detail: `ranking took ${Math.round(latency)} ms (limit ${b.config.thresholds.maxLatencyMs} ms)`,
        latencyMs: null,
        metrics: { maxLatencyMs: Math.round(latency) },
      })),
  };
  return runBattery(RERANK_TESTS, b.config, tests, "Not run: no ranking came back");
}
