import type { CellTone } from "./grid-view";

// Colours with enough contrast for the score written on them, in both themes.
export const TONE_CLASS: Record<CellTone, string> = {
  excellent: "bg-emerald-700 text-white",
  good: "bg-emerald-300 text-emerald-950",
  fair: "bg-amber-300 text-amber-950",
  poor: "bg-orange-400 text-orange-950",
  failed: "bg-red-700 text-white",
  running: "bg-sky-600 text-white",
  waiting: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  cancelled: "bg-slate-300 text-slate-900",
  // Outlines, not borders: a matrix cell's border is its transparent gap.
  uncertified: "outline-1 outline-dashed -outline-offset-1 outline-slate-400 text-slate-700 dark:outline-slate-500 dark:text-slate-300",
  profile: "bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200",
  unavailable: "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-400",
  legacy: "bg-stone-200 text-stone-800 dark:bg-stone-800 dark:text-stone-200",
  unsupported: "outline-1 outline-dotted -outline-offset-1 outline-slate-400 text-slate-600 dark:outline-slate-500 dark:text-slate-400",
  unknown: "text-slate-600 dark:text-slate-400",
};

// What a cell without a score shows.
type ScoredTone = "excellent" | "good" | "fair" | "poor" | "failed";
export const TONE_GLYPH: Partial<Record<CellTone, string>> & Record<Exclude<CellTone, ScoredTone>, string> = {
  running: "…",
  waiting: "·",
  cancelled: "×",
  uncertified: "",
  profile: "P",
  unavailable: "–",
  legacy: "L",
  unsupported: "U",
  unknown: "?",
};

// What the legend draws for each look: a score in the tone's range where the
// cell shows a score, else the cell's own glyph.
export const TONE_SAMPLE: Record<CellTone, string> = {
  excellent: "98",
  good: "90",
  fair: "76",
  poor: "55",
  failed: "30",
  ...TONE_GLYPH,
};
