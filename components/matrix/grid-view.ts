// What the matrix page shows for a filter: the Regions (columns, grouped by
// geography), the models (rows, grouped by provider), which cells match, and
// pass rates. Pure and fast (a 150 × 40 grid in well under a millisecond), so
// a filter change repaints without a round trip.
import type { Grid, MatrixCell } from "@/lib/certification/matrix-types";

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
};

export type Row = { index: number; id: string; bedrockModelId: string; name: string; provider: string; legacy: boolean; cells: (Cell | null)[]; matches: boolean[]; passRate: number | null };
export type Column = { index: number; code: string; name: string; geography: string; passRate: number | null };
export type GridView = { columns: Column[]; geographies: { geography: string; span: number }[]; groups: { provider: string; rows: Row[] }[]; rowCount: number; cellMatches: number };

export const cellFromTuple = (t: MatrixCell): Cell => ({ status: t[2], passed: t[3], score: t[4], rating: t[5], errorCategory: t[6], completedAt: t[7] });

// cells[model][region]; built once per grid payload.
export function indexCells(grid: Grid): (Cell | null)[][] {
  const byModel = grid.models.map(() => new Array<Cell | null>(grid.regions.length).fill(null));
  for (const t of grid.cells) byModel[t[0]]![t[1]] = cellFromTuple(t);
  return byModel;
}

export const hasCellFilter = (f: GridFilter) => f.status.length > 0 || f.rating.length > 0 || f.passed !== null || f.staleDays !== null;

export function cellMatches(cell: Cell | null, f: GridFilter, now: number): boolean {
  if (!hasCellFilter(f)) return true;
  if (!cell) return false;
  if (f.status.length && !f.status.includes(cell.status)) return false;
  if (f.rating.length && !(cell.rating && f.rating.includes(cell.rating))) return false;
  if (f.passed !== null && cell.passed !== f.passed) return false;
  if (f.staleDays !== null && cell.completedAt && Date.parse(cell.completedAt) >= now - f.staleDays * 86_400_000) return false;
  return true;
}

const rate = (passed: number, finished: number) => (finished ? Math.round((passed / finished) * 100) : null);

export function gridView(grid: Grid, cells: (Cell | null)[][], f: GridFilter, now = Date.now()): GridView {
  const wanted = new Set(f.region);
  const columns: Column[] = grid.regions.flatMap((r, index) => (wanted.size === 0 || wanted.has(r.code) ? [{ index, ...r, passRate: null }] : []));
  const providers = new Set(f.provider.map((p) => p.toLowerCase()));
  const q = f.q.trim().toLowerCase();
  const cellFilter = hasCellFilter(f);
  const colPassed = new Array<number>(columns.length).fill(0);
  const colFinished = new Array<number>(columns.length).fill(0);
  const groups: GridView["groups"] = [];
  let cellMatchCount = 0;
  grid.models.forEach((m, index) => {
    if (providers.size && !providers.has(m.provider.toLowerCase())) return;
    if (q && !m.name.toLowerCase().includes(q) && !m.bedrockModelId.toLowerCase().includes(q)) return;
    const rowCells = columns.map((c) => cells[index]![c.index] ?? null);
    const matches = rowCells.map((c) => cellMatches(c, f, now));
    const matched = matches.filter(Boolean).length;
    if (cellFilter && matched === 0) return;
    cellMatchCount += cellFilter ? matched : rowCells.filter(Boolean).length;
    let passed = 0;
    let finished = 0;
    rowCells.forEach((c, i) => {
      if (c?.passed == null || !matches[i]) return;
      finished++;
      colFinished[i]!++;
      if (c.passed) {
        passed++;
        colPassed[i]!++;
      }
    });
    const row: Row = { index, ...m, cells: rowCells, matches, passRate: rate(passed, finished) };
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
  return { columns, geographies, groups, rowCount: groups.reduce((n, g) => n + g.rows.length, 0), cellMatches: cellMatchCount };
}

// How a cell looks and what it says: by status and rating, or by how the
// model is offered in the Region when it was never certified.
export type CellTone = "excellent" | "good" | "fair" | "poor" | "failed" | "running" | "cancelled" | "uncertified" | "profile" | "unavailable" | "unknown";

export function cellTone(cell: Cell | null, availability: string): CellTone {
  if (!cell) return availability === "I" ? "uncertified" : availability === "P" ? "profile" : availability === "N" ? "unavailable" : "unknown";
  if (cell.status === "PENDING" || cell.status === "QUEUED" || cell.status === "PROCESSING") return "running";
  if (cell.status === "CANCELLED") return "cancelled";
  if (cell.status === "FAILED" || cell.passed === false) return "failed";
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
  running: "Queued or running",
  cancelled: "Cancelled",
  uncertified: "Offered, not certified",
  profile: "Inference profile only, not certified",
  unavailable: "Not offered in the Region",
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
  parts.push(`certified ${age(cell.completedAt, now)}`);
  if (cell.errorCategory) parts.push(`error ${cell.errorCategory}`);
  return parts.join(", ");
}
