// Which cells a filter keeps: one rule. The matrix page applies it in the
// browser to the grid it holds (components/matrix/grid-view.ts); the API and
// the exports apply the same rule in SQL (cellFilterSql in ./queries.ts,
// written clause for clause beside this one); a parity test
// (tests/integration/filter-parity.test.ts) holds the two together.
export type CellFilter = {
  region?: string[];
  status?: string[];
  provider?: string[];
  rating?: string[];
  passed?: boolean;
  availability?: string[];
  // Not certified since this instant (or never finished).
  staleSince?: Date;
  // Part of the model's name or Bedrock id, any case, spaces around ignored.
  q?: string;
};

export type FilterableModel = { provider: string; name: string; bedrockModelId: string | null };
export type FilterableCell = { status: string; rating: string | null; passed: boolean | null; availability: string | null; completedAt: string | Date | null };

export const searchText = (q: string | undefined): string => (q ?? "").trim().toLowerCase();

// The model's side: provider (any case) and the text search.
export function modelMatches(m: FilterableModel, f: CellFilter): boolean {
  if (f.provider?.length && !f.provider.some((p) => p.toLowerCase() === m.provider.toLowerCase())) return false;
  const q = searchText(f.q);
  return !q || m.name.toLowerCase().includes(q) || (m.bedrockModelId ?? "").toLowerCase().includes(q);
}

// The cell's side. A filter on a value keeps only cells that have it (a cell
// with no rating is not kept by a rating filter; `passed: false` does not
// keep cells never tried).
export function cellMatches(region: string, c: FilterableCell, f: CellFilter): boolean {
  if (f.region?.length && !f.region.includes(region)) return false;
  if (f.status?.length && !f.status.includes(c.status)) return false;
  if (f.rating?.length && !(c.rating !== null && f.rating.includes(c.rating))) return false;
  if (f.passed !== undefined && c.passed !== f.passed) return false;
  if (f.availability?.length && !(c.availability !== null && f.availability.includes(c.availability))) return false;
  if (f.staleSince && c.completedAt !== null && new Date(c.completedAt).getTime() >= f.staleSince.getTime()) return false;
  return true;
}

// Does the filter look at cells at all (else every pair of a kept model and Region shows)?
export const filtersCells = (f: CellFilter): boolean => !!(f.status?.length || f.rating?.length || f.passed !== undefined || f.availability?.length || f.staleSince);
