// What the matrix page shows for a filter: the Regions (columns, grouped by
// geography), the models (rows, grouped by provider), which cells match, and
// pass rates. Pure and fast (a 150 × 40 grid in well under a millisecond), so
// a filter change repaints without a round trip.
import type { Grid, GridCell, MatrixCell } from "@/lib/certification/matrix-types";
import { batteryFor } from "@/lib/certification/availability";
import { exceptionsNote } from "@/lib/certification/capabilities";
import { NEUTRAL_VERDICTS, cellVerdict, type CellVerdict } from "@/lib/certification/verdict";
import { modelKind } from "@/lib/catalog/model-kind";
import { CertificationRating, CertificationStatus } from "@/lib/generated/prisma/enums";
import { cellMatches, filtersCells, modelMatches, type CellFilter } from "@/lib/certification/cell-filter";

export type GridFilter = {
  region: string[];
  status: string[];
  provider: string[];
  rating: string[];
  passed: boolean | null;
  // Certified more than this many days ago (or never finished).
  staleDays: number | null;
  q: string;
};

export const EMPTY_FILTER: GridFilter = { region: [], status: [], provider: [], rating: [], passed: null, staleDays: null, q: "" };

export type Cell = {
  status: string;
  passed: boolean | null;
  score: number | null;
  rating: string | null;
  errorCategory: string | null;
  completedAt: string | null;
  availability: string | null;
  // Capabilities its last run found broken ("json,streaming"), or null.
  broken?: string | null;
  // From the latency test; null where not measured.
  timeToFirstTokenMs?: number | null;
  tokensPerSecond?: number | null;
  latencyMs?: number | null;
  // The last run regressed against the cell's own history.
  regressed?: boolean;
};

// availability: the catalog's letter per Region (Grid), with U where the
// model's kind has no battery (so never-certified cells say so too).
export type Row = {
  index: number;
  id: string;
  bedrockModelId: string;
  name: string;
  provider: string;
  legacy: boolean;
  // What the model outputs (its kind: the speed view bands each kind apart).
  outputModalities: string[];
  availability: string;
  cells: (Cell | null)[];
  matches: boolean[];
  passRate: number | null;
};
export type Column = { index: number; code: string; name: string; geography: string; passRate: number | null };
// What the shown cells come to: offered pairs that were tried (passed,
// failed) apart from those not tried because of their availability.
export type GridTotals = Record<CellVerdict | "uncertified", number>;
export type GridView = {
  columns: Column[];
  geographies: { geography: string; span: number }[];
  groups: { provider: string; rows: Row[] }[];
  rowCount: number;
  cellMatches: number;
  totals: GridTotals;
  // Profile-only pairs of the shown models and Regions that the cell filter
  // (status, rating, passed, age) leaves out: never certified unless through
  // an inference profile, so "what works in eu-central-1" must say they exist.
  leftOutProfileOnly: { count: number; modelIds: string[]; regions: string[] };
};

const emptyTotals = (): GridTotals => ({ passed: 0, failed: 0, running: 0, waiting: 0, cancelled: 0, "not-offered": 0, "profile-only": 0, legacy: 0, unsupported: 0, pending: 0, uncertified: 0 });

export const cellFromTuple = (t: MatrixCell | GridCell): Cell => ({
  status: t[2],
  passed: t[3],
  score: t[4],
  rating: t[5],
  errorCategory: t[6],
  completedAt: t[7],
  availability: t[8] ?? null,
  broken: t[9] ?? null,
  timeToFirstTokenMs: t[10] ?? null,
  tokensPerSecond: t[11] ?? null,
  latencyMs: t[12] ?? null,
  regressed: t[13] ?? false,
});

// cells[model][region]; built once per grid payload.
export function indexCells(grid: Grid): (Cell | null)[][] {
  const byModel = grid.models.map(() => new Array<Cell | null>(grid.regions.length).fill(null));
  for (const t of grid.cells) byModel[t[0]]![t[1]] = cellFromTuple(t);
  return byModel;
}

// The filter with only the values this grid knows (Regions, providers,
// statuses, ratings), and what was left out.
export function validFilter(f: GridFilter, grid: Grid): { filter: GridFilter; rejected: { key: string; value: string }[] } {
  const rejected: { key: string; value: string }[] = [];
  const keep = (key: string, values: string[], known: Set<string>, fold = (v: string) => v) =>
    values.filter((v) => {
      const ok = known.has(fold(v));
      if (!ok) rejected.push({ key, value: v });
      return ok;
    });
  const filter: GridFilter = {
    ...f,
    region: keep("region", f.region, new Set(grid.regions.map((r) => r.code))),
    provider: keep("provider", f.provider, new Set(grid.models.map((m) => m.provider.toLowerCase())), (v) => v.toLowerCase()),
    status: keep("status", f.status, new Set(Object.values(CertificationStatus))),
    rating: keep("rating", f.rating, new Set(Object.values(CertificationRating))),
  };
  if (f.staleDays !== null && !(Number.isInteger(f.staleDays) && f.staleDays > 0 && f.staleDays <= 3650)) {
    rejected.push({ key: "stale", value: String(f.staleDays) });
    filter.staleDays = null;
  }
  return { filter, rejected };
}

// The page's filter (from the URL) as the one filter rule's shape (lib/certification/cell-filter.ts).
export function toCellFilter(f: GridFilter, now: number): CellFilter {
  return {
    region: f.region,
    status: f.status,
    provider: f.provider,
    rating: f.rating,
    ...(f.passed !== null ? { passed: f.passed } : {}),
    ...(f.staleDays !== null ? { staleSince: new Date(now - f.staleDays * 86_400_000) } : {}),
    q: f.q,
  };
}

export function availabilityLetters(m: Grid["models"][number]): string {
  if (batteryFor(modelKind(m)) !== "none") return m.availability;
  return m.availability.replace(/[IP]/g, "U");
}

// A cell never certified still counts by what the catalog says of it.
const NEVER_CERTIFIED: Record<string, keyof GridTotals> = { N: "not-offered", P: "profile-only", L: "legacy", U: "unsupported" };

const rate = (passed: number, finished: number) => (finished ? Math.round((passed / finished) * 100) : null);

export function gridView(grid: Grid, cells: (Cell | null)[][], f: GridFilter, now = Date.now()): GridView {
  const wanted = new Set(f.region);
  const columns: Column[] = grid.regions.flatMap((r, index) => (wanted.size === 0 || wanted.has(r.code) ? [{ index, ...r, passRate: null }] : []));
  const rule = toCellFilter(f, now);
  const cellFilter = filtersCells(rule);
  const colPassed = new Array<number>(columns.length).fill(0);
  const colFinished = new Array<number>(columns.length).fill(0);
  const groups: GridView["groups"] = [];
  let cellMatchCount = 0;
  const totals = emptyTotals();
  const leftOut = { count: 0, modelIds: new Set<string>(), regions: new Set<string>() };
  grid.models.forEach((m, index) => {
    if (!modelMatches(m, rule)) return;
    const rowCells = columns.map((c) => cells[index]![c.index] ?? null);
    const letters = availabilityLetters(m);
    const columnLetters = columns.map((c) => letters[c.index]);
    const matches = rowCells.map((c, i) => !cellFilter || (c !== null && cellMatches(columns[i]!.code, c, rule)));
    if (cellFilter)
      rowCells.forEach((c, i) => {
        if (matches[i] || !(c ? cellVerdict(c) === "profile-only" : columnLetters[i] === "P")) return;
        leftOut.count++;
        if (m.bedrockModelId) leftOut.modelIds.add(m.bedrockModelId);
        leftOut.regions.add(columns[i]!.code);
      });
    const matched = matches.filter(Boolean).length;
    if (cellFilter && matched === 0) return;
    cellMatchCount += cellFilter ? matched : rowCells.filter(Boolean).length;
    let passed = 0;
    let finished = 0;
    rowCells.forEach((c, i) => {
      if (!matches[i]) return;
      totals[c ? cellVerdict(c) : (NEVER_CERTIFIED[columnLetters[i] ?? "?"] ?? "uncertified")]++;
      // Pass rates count offered pairs that were tried, nothing else.
      if (c?.passed == null) return;
      finished++;
      colFinished[i]!++;
      if (c.passed) {
        passed++;
        colPassed[i]!++;
      }
    });
    const row: Row = { index, ...m, availability: letters, cells: rowCells, matches, passRate: rate(passed, finished) };
    const last = groups.at(-1);
    if (last?.provider === m.provider) last.rows.push(row);
    else groups.push({ provider: m.provider, rows: [row] });
  });
  columns.forEach((c, i) => (c.passRate = rate(colPassed[i]!, colFinished[i]!)));
  const geographies: GridView["geographies"] = [];
  for (const c of columns) {
    const last = geographies.at(-1);
    if (last?.geography === c.geography) last.span++;
    else geographies.push({ geography: c.geography, span: 1 });
  }
  return {
    columns,
    geographies,
    groups,
    rowCount: groups.reduce((n, g) => n + g.rows.length, 0),
    cellMatches: cellMatchCount,
    totals,
    leftOutProfileOnly: { count: leftOut.count, modelIds: [...leftOut.modelIds], regions: [...leftOut.regions] },
  };
}

// How a cell looks and what it says: by status and rating, or by how the
// model is offered in the Region when it was never certified.
// Red ("failed") is only ever an offered pair that was tried and did not pass.
export type CellTone = "excellent" | "good" | "fair" | "poor" | "failed" | "running" | "waiting" | "cancelled" | "uncertified" | "profile" | "unavailable" | "legacy" | "unsupported" | "unknown";

// Never-certified cells by the catalog's letter (Grid.models[].availability).
const TONE_OF_LETTER: Record<string, CellTone> = { I: "uncertified", P: "profile", N: "unavailable", L: "legacy", U: "unsupported" };
const TONE_OF_VERDICT: Partial<Record<CellVerdict, CellTone>> = {
  running: "running",
  waiting: "waiting",
  cancelled: "cancelled",
  failed: "failed",
  "not-offered": "unavailable",
  "profile-only": "profile",
  legacy: "legacy",
  unsupported: "unsupported",
};

export function cellTone(cell: Cell | null, availability: string): CellTone {
  if (!cell) return TONE_OF_LETTER[availability] ?? "unknown";
  const verdict = cellVerdict(cell);
  if (verdict === "pending") return TONE_OF_LETTER[availability] ?? "unknown";
  const tone = TONE_OF_VERDICT[verdict];
  if (tone) return tone;
  switch (cell.rating) {
    case "EXCELLENT":
      return "excellent";
    case "GOOD":
      return "good";
    case "FAIR":
      return "fair";
    case "POOR":
      return "poor";
    default:
      return cell.passed ? "good" : "failed";
  }
}

export const TONE_LABEL: Record<CellTone, string> = {
  excellent: "Passed, excellent",
  good: "Passed, good",
  fair: "Passed, fair",
  poor: "Poor",
  failed: "Failed",
  running: "Running now",
  waiting: "Waiting in the queue",
  cancelled: "Cancelled",
  uncertified: "Offered, not certified",
  profile: "Inference profile only, not tried",
  unavailable: "Not offered in the Region",
  legacy: "Legacy, not tried",
  unsupported: "Not certifiable yet",
  unknown: "Region catalog not synced",
};

export function age(iso: string | null, now = Date.now()): string {
  if (!iso) return "never";
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export function describeCell(row: { name: string }, column: { code: string }, cell: Cell | null, availability: string, now = Date.now()): string {
  const tone = TONE_LABEL[cellTone(cell, availability)];
  if (!cell) return `${row.name} in ${column.code}: ${tone}`;
  const parts = [`${row.name} in ${column.code}: ${tone}`];
  if (cell.score !== null) parts.push(`score ${Math.round(cell.score)}`);
  const except = cell.passed ? exceptionsNote(cell.broken ? cell.broken.split(",") : []) : null;
  if (except) parts.push(except);
  // Only a tried pair was certified; one settled by its availability was checked, not certified.
  const verdict = cellVerdict(cell);
  if (verdict === "passed" || verdict === "failed") parts.push(`certified ${age(cell.completedAt, now)}`);
  else if (NEUTRAL_VERDICTS.includes(verdict) && cell.completedAt) parts.push(`checked ${age(cell.completedAt, now)}`);
  if (cell.errorCategory && !NEUTRAL_VERDICTS.includes(verdict)) parts.push(`error ${cell.errorCategory}`);
  return parts.join(", ");
}
