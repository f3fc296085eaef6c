// The matrix as rows for people and spreadsheets: one row per cell.
import { cellVerdict } from "./verdict";
import type { Matrix } from "./matrix-types";

export const EXPORT_COLUMNS = [
  "provider",
  "model",
  "bedrockModelId",
  "region",
  "availability",
  "verdict",
  "status",
  "passed",
  "score",
  "rating",
  "brokenCapabilities",
  "errorCategory",
  "completedAt",
] as const;

export function exportRows(m: Matrix) {
  return m.cells.map(([mi, ri, status, passed, score, rating, errorCategory, completedAt, availability, broken]) => {
    const model = m.models[mi]!;
    // "passed" with broken capabilities reads "passed except streaming".
    const verdict = cellVerdict({ status, passed, availability });
    const brokenCapabilities = broken ? broken.split(",").join(" ") : null;
    return {
      provider: model.provider,
      model: model.name,
      bedrockModelId: model.bedrockModelId,
      region: m.regions[ri]!,
      availability,
      verdict: verdict === "passed" && broken ? `passed except ${broken.split(",").join(", ")}` : verdict,
      status,
      passed,
      score,
      rating,
      brokenCapabilities,
      errorCategory,
      completedAt,
    };
  });
}

// A spreadsheet runs a cell starting with = + - @ (or spaces, a tab or a
// carriage return before one: spreadsheets trim them) as a formula. Model and provider names come from the
// catalog, that is from outside: such text is neutralised as OWASP recommends,
// with a leading single quote, and quoted. Numbers are left as they are.
const FORMULA_START = /^[\s]*[=+\-@]|^[\t\r]/;
const neutralizeFormula = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);

// RFC 4180: quote every field that needs it, double the quotes inside.
const csvField = (v: unknown) => {
  const s = v === null || v === undefined ? "" : typeof v === "string" ? neutralizeFormula(v) : String(v);
  return /[",\r\n']/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export function toCsv(rows: ReturnType<typeof exportRows>): string {
  return [EXPORT_COLUMNS.join(","), ...rows.map((r) => EXPORT_COLUMNS.map((c) => csvField(r[c])).join(","))].join("\r\n") + "\r\n";
}
