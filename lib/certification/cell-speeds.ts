// What the matrix shows of a cell beyond its verdict — the speeds its latency
// test measured and the capabilities it found broken — taken out of the run's
// results once, when the cell is written, into columns of their own (the
// migration cell_speed_columns fills the cells written before, with the same rule).
import type { TestResults } from "./results";

export type CellSpeeds = { timeToFirstTokenMs: number | null; tokensPerSecond: number | null; latencyMs: number | null; brokenCapabilities: string | null };

export function cellSpeeds(results: Pick<TestResults, "tests" | "capabilities"> | null | undefined): CellSpeeds {
  // The first latency test's measurements: time to first token and tokens per
  // second (text models, over ConverseStream), the median call (else the slowest).
  const metrics = results?.tests.find((t) => t.name === "latency")?.metrics;
  const broken = Object.entries(results?.capabilities ?? {})
    .filter(([, v]) => v === "broken")
    .map(([k]) => k)
    .sort();
  return {
    timeToFirstTokenMs: metrics?.timeToFirstTokenMs ?? null,
    tokensPerSecond: metrics?.tokensPerSecond ?? null,
    latencyMs: metrics?.p50LatencyMs ?? metrics?.maxLatencyMs ?? null,
    brokenCapabilities: broken.length ? broken.join(",") : null,
  };
}
