import type { CellTone } from "./grid-view";

// Colours with enough contrast for the score written on them, in both themes.
export const TONE_CLASS: Record<CellTone, string> = {
  excellent: "bg-emerald-700 text-white",
  good: "bg-emerald-300 text-emerald-950",
  fair: "bg-amber-300 text-amber-950",
  poor: "bg-orange-400 text-orange-950",
  failed: "bg-red-700 text-white",
  running: "bg-sky-200 text-sky-950",
  cancelled: "bg-slate-300 text-slate-900",
  uncertified: "border border-dashed border-slate-400 text-slate-700 dark:border-slate-500 dark:text-slate-300",
  profile: "bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200",
  unavailable: "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-400",
  unknown: "text-slate-600 dark:text-slate-400",
};

// What a cell without a score shows.
export const TONE_GLYPH: Partial<Record<CellTone, string>> = { running: "…", cancelled: "×", uncertified: "", profile: "P", unavailable: "–", unknown: "?" };
