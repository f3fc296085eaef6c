// The matrix's metric switch: the same grid coloured by verdict (score), or by
// a speed from the latency test, so it answers "where is this model fastest"
// as well as "where does it work". Speeds are coloured by quartile of the
// values shown (fastest quarter darkest), per model kind: an embedding model's
// 80 ms is not a chat model's, and banded together every chat model came out
// orange (issue 29). Only passed cells have a speed worth comparing, the
// others keep their verdict's look. Pure.
import { modelKind, type ModelKind } from "@/lib/catalog/model-kind";
import type { Cell } from "./grid-view";

export type Metric = "verdict" | "ttft" | "tps" | "latency";
export const METRIC_KEYS: Metric[] = ["verdict", "ttft", "tps", "latency"];

type Speed = { label: string; short: string; unit: string; higherIsBetter: boolean; of: (c: Cell) => number | null | undefined };
export const SPEEDS: Record<Exclude<Metric, "verdict">, Speed> = {
  ttft: { label: "Time to first token", short: "TTFT", unit: "ms", higherIsBetter: false, of: (c) => c.timeToFirstTokenMs },
  tps: { label: "Tokens per second", short: "tok/s", unit: "tok/s", higherIsBetter: true, of: (c) => c.tokensPerSecond },
  latency: { label: "Latency (median call)", short: "latency", unit: "ms", higherIsBetter: false, of: (c) => c.latencyMs },
};
export const METRIC_LABEL: Record<Metric, string> = { verdict: "Verdict", ttft: "TTFT", tps: "Tokens/s", latency: "Latency" };

export type SpeedBand = 0 | 1 | 2 | 3; // 0 = the best quarter
export type SpeedScale = { metric: Exclude<Metric, "verdict">; cuts: [number, number, number] } | null;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

// Quartile cuts over the passed cells' values (low to high).
export function speedScale(metric: Metric, cells: Iterable<Cell | null>): SpeedScale {
  if (metric === "verdict") return null;
  const values: number[] = [];
  for (const c of cells) {
    const v = c?.passed ? SPEEDS[metric].of(c) : null;
    if (v != null && Number.isFinite(v)) values.push(v);
  }
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return { metric, cuts: [quantile(values, 0.25), quantile(values, 0.5), quantile(values, 0.75)] };
}

// One scale per model kind, over each kind's cells shown.
export type SpeedScales = Map<ModelKind, NonNullable<SpeedScale>>;

export function speedScales(metric: Metric, rows: { bedrockModelId: string | null; outputModalities: string[]; cells: Iterable<Cell | null> }[]): SpeedScales {
  const byKind = new Map<ModelKind, (Cell | null)[]>();
  for (const r of rows) {
    const kind = modelKind(r);
    byKind.set(kind, [...(byKind.get(kind) ?? []), ...r.cells]);
  }
  const scales: SpeedScales = new Map();
  for (const [kind, cells] of byKind) {
    const scale = speedScale(metric, cells);
    if (scale) scales.set(kind, scale);
  }
  return scales;
}

export const KIND_LABEL: Record<ModelKind, string> = { text: "Text", embedding: "Embeddings", image: "Images", video: "Video", speech: "Speech", rerank: "Reranking" };

// The band of a cell's speed, or null when it has none to compare.
export function speedBand(scale: SpeedScale, cell: Cell | null): SpeedBand | null {
  if (!scale || !cell?.passed) return null;
  const v = SPEEDS[scale.metric].of(cell);
  if (v == null) return null;
  const low = v <= scale.cuts[0] ? 0 : v <= scale.cuts[1] ? 1 : v <= scale.cuts[2] ? 2 : 3;
  return (SPEEDS[scale.metric].higherIsBetter ? 3 - low : low) as SpeedBand;
}

// Short enough for a 30 px cell: 840, 1.2s, 96.
export function formatSpeed(metric: Exclude<Metric, "verdict">, v: number): string {
  if (SPEEDS[metric].unit === "ms") return v >= 1000 ? `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}s` : String(Math.round(v));
  return String(Math.round(v));
}

export const BAND_CLASS: Record<SpeedBand, string> = {
  0: "bg-emerald-700 text-white",
  1: "bg-emerald-300 text-emerald-950",
  2: "bg-amber-300 text-amber-950",
  3: "bg-orange-400 text-orange-950",
};

// The legend's four bands with the values they cover.
export function bandRanges(scale: NonNullable<SpeedScale>): { band: SpeedBand; label: string }[] {
  const f = (v: number) => `${formatSpeed(scale.metric, v)}${SPEEDS[scale.metric].unit === "ms" && v < 1000 ? " ms" : SPEEDS[scale.metric].unit === "tok/s" ? " tok/s" : ""}`;
  const [a, b, c] = scale.cuts;
  const low = [`≤ ${f(a)}`, `${f(a)} – ${f(b)}`, `${f(b)} – ${f(c)}`, `> ${f(c)}`];
  const order = SPEEDS[scale.metric].higherIsBetter ? [3, 2, 1, 0] : [0, 1, 2, 3];
  return order.map((i, band) => ({ band: band as SpeedBand, label: low[i]! }));
}
