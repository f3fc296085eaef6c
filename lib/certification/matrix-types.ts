// Shapes of the compact matrix payloads, shared by the server (which builds
// them in PostgreSQL) and the browser (which draws them).

// [modelIndex, regionIndex, status, passed, score, rating, errorCategory, completedAt, availability, broken]
// availability: IN_REGION, PROFILE_ONLY, NOT_OFFERED, LEGACY, UNSUPPORTED, or
// null when unknown. A COMPLETED cell with passed null was not tried because
// of it (docs/certification.md). broken: the capabilities its last run found
// broken, comma-separated ("json,streaming"), or null.
export type MatrixCell = [number, number, string, boolean | null, number | null, string | null, string | null, string | null, string | null, string | null];

// /api/v1/matrix: the cells a filter selects, with their models and Regions.
export type Matrix = {
  columns: string[];
  models: { id: string; bedrockModelId: string | null; name: string; provider: string }[];
  regions: string[];
  cells: MatrixCell[];
};

// /api/v1/matrix/grid: every enabled model × every enabled Region, for the UI.
// `availability` has one letter per Region, in `regions` order: I (offered in
// the Region), P (through an inference profile only), N (not offered), L
// (listed as legacy there), ? (the Region's catalog was never synced).
// Its cells add [timeToFirstTokenMs, tokensPerSecond, latencyMs] from the
// latency test (null where not measured) and whether the cell's last run
// regressed against its own history (lib/watch/regressions.ts).
export type GridCell = [...MatrixCell, number | null, number | null, number | null, boolean];
export type Grid = {
  regions: { code: string; name: string; geography: string }[];
  models: { id: string; bedrockModelId: string; name: string; provider: string; legacy: boolean; outputModalities: string[]; availability: string }[];
  cells: (GridCell | MatrixCell)[];
};
