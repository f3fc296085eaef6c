// A cell's verdict in one word, from its status, passed and availability:
// the same rule for the matrix, the exports and the pass rates. Client-safe.
// Only "passed" and "failed" are certifications of an offered pair; the
// availability verdicts are neutral (never counted in pass rates).
export type CellVerdict = "passed" | "failed" | "running" | "waiting" | "cancelled" | "not-offered" | "profile-only" | "legacy" | "unsupported" | "pending";

const NEUTRAL: Record<string, CellVerdict> = { NOT_OFFERED: "not-offered", PROFILE_ONLY: "profile-only", LEGACY: "legacy", UNSUPPORTED: "unsupported" };

export function cellVerdict(cell: { status: string; passed: boolean | null; availability: string | null }): CellVerdict {
  // Waiting in the queue is not running: a 4,000-pair job has a few dozen
  // running at a time and the rest waiting (issue 29).
  if (cell.status === "PROCESSING") return "running";
  if (cell.status === "QUEUED") return "waiting";
  if (cell.status === "CANCELLED") return "cancelled";
  if (cell.passed === true) return "passed";
  if (cell.passed === false || cell.status === "FAILED") return "failed";
  if (cell.status === "COMPLETED" && cell.availability && NEUTRAL[cell.availability]) return NEUTRAL[cell.availability]!;
  return "pending";
}

export const NEUTRAL_VERDICTS: readonly CellVerdict[] = ["not-offered", "profile-only", "legacy", "unsupported"];

// A job's pairs with a neutral verdict: not tried because of where (or what)
// the model is, and no failures.
export const notTriedCount = (j: { notOfferedCount: number; profileOnlyCount: number; legacyCount: number; unsupportedCount: number }) =>
  j.notOfferedCount + j.profileOnlyCount + j.legacyCount + j.unsupportedCount;
