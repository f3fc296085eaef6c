// A regression: a cell's new run worse than its own history. Compared with the
// previous tried run (passed → failed, a lower rating, a score drop of at least
// `scoreDrop` points) and with the recent runs' p95: latency or time to first
// token above `latencyFactor` × p95 and above p95 + `latencyMarginMs`, in this
// run and in the one before it (both against the runs before those two, three
// at least). One slow call on a fast model is noise: a 630 ms call against a
// 307 ms p95 fired five false alarms in an acceptance run (issue 27); the
// replayed noisy history in regressions.test.ts must give none. Runs that
// tried nothing (not offered, legacy, …) are not history.
export type RunFacts = {
  passed: boolean | null;
  score: number | null;
  rating: string | null;
  errorCategory: string | null;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
};

export type RegressionThresholds = { scoreDrop: number; latencyFactor: number; latencyMarginMs?: number };

const DEFAULT_MARGIN_MS = 1_000;

export type Regression = { kind: "failed" | "rating" | "score" | "latency" | "timeToFirstToken"; reason: string; before: number | string | null; after: number | string | null };

const RATING_RANK: Record<string, number> = { EXCELLENT: 4, GOOD: 3, FAIR: 2, POOR: 1, FAILED: 0 };
const MIN_SAMPLES = 3;

export function p95(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
}

// `history`: earlier tried runs of the cell, newest first.
export function findRegressions(current: RunFacts, history: RunFacts[], t: RegressionThresholds): Regression[] {
  const previous = history[0];
  if (current.passed === null || !previous) return [];
  const found: Regression[] = [];
  if (previous.passed && !current.passed) {
    found.push({ kind: "failed", reason: `passed → failed (${current.errorCategory ?? "no category"})`, before: "passed", after: current.errorCategory ?? "failed" });
    // A failure says it all: its score and speed are not news of their own.
    return found;
  }
  if (!current.passed) return found;
  if (previous.rating && current.rating && RATING_RANK[current.rating]! < RATING_RANK[previous.rating]!) {
    found.push({ kind: "rating", reason: `rating ${previous.rating} → ${current.rating}`, before: previous.rating, after: current.rating });
  }
  if (previous.score !== null && current.score !== null && previous.score - current.score >= t.scoreDrop) {
    found.push({ kind: "score", reason: `score ${previous.score.toFixed(0)} → ${current.score.toFixed(0)}`, before: previous.score, after: current.score });
  }
  const margin = t.latencyMarginMs ?? DEFAULT_MARGIN_MS;
  // The recent p95 of `runs`, when there are enough of them to go by.
  const recentP95 = (runs: RunFacts[], key: "latencyMs" | "timeToFirstTokenMs") => {
    const samples = runs.map((h) => h[key]).filter((v): v is number => v !== null && v > 0);
    return samples.length >= MIN_SAMPLES ? p95(samples) : null;
  };
  const slowAgainst = (value: number | null, recent: number | null) => value !== null && recent !== null && value > t.latencyFactor * recent && value > recent + margin;
  for (const [kind, label, key] of [
    ["latency", "latency", "latencyMs"],
    ["timeToFirstToken", "time to first token", "timeToFirstTokenMs"],
  ] as const) {
    // Both runs against the runs before them (the previous one would hide itself in the p95).
    const now = current[key];
    const recent = recentP95(history.slice(1), key);
    if (slowAgainst(now, recent) && slowAgainst(previous[key], recent)) {
      found.push({
        kind,
        reason: `${label} ${Math.round(now!)} ms, the second run in a row over ${t.latencyFactor}× the recent p95 (${Math.round(recent!)} ms) and ${margin} ms above it`,
        before: Math.round(recent!),
        after: Math.round(now!),
      });
    }
  }
  return found;
}
