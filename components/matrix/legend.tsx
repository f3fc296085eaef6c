import type { CellTone } from "./grid-view";
import { BAND_CLASS, bandRanges, KIND_LABEL, SPEEDS, type Metric, type SpeedScales } from "./metric";
import { TONE_CLASS, TONE_SAMPLE } from "./tones";

// Short words, so the legend stays on one line (the cells' own labels are longer).
const LEGEND_LABEL: Record<CellTone, string> = {
  excellent: "Excellent",
  good: "Good",
  fair: "Fair",
  poor: "Poor",
  failed: "Failed",
  running: "Running",
  waiting: "Waiting",
  cancelled: "Cancelled",
  uncertified: "Offered, never certified",
  profile: "Profile only",
  unavailable: "Not offered",
  legacy: "Legacy",
  unsupported: "No battery yet",
  unknown: "Not synced",
};

// Certified (scored), then in progress, then the neutral availability looks.
const SHOWN: CellTone[] = ["excellent", "good", "fair", "poor", "failed", "running", "waiting", "cancelled", "uncertified", "profile", "unavailable", "legacy", "unsupported", "unknown"];

export function Legend() {
  return (
    <ul className="flex flex-wrap gap-x-3 gap-y-0.5 text-[11px] text-slate-700 dark:text-slate-300" aria-label="Legend">
      {SHOWN.map((tone) => (
        <li key={tone} className="flex items-center gap-1.5">
          <span aria-hidden className={`inline-flex h-3.5 w-6 items-center justify-center rounded-sm text-[10px] leading-none font-semibold ${TONE_CLASS[tone]}`}>
            {TONE_SAMPLE[tone]}
          </span>
          {LEGEND_LABEL[tone]}
        </li>
      ))}
      <li className="flex items-center gap-1.5">
        <span aria-hidden className={`relative inline-flex h-3.5 w-6 rounded-sm ${TONE_CLASS.good}`}>
          <span className="absolute top-0 right-0 h-0 w-0 border-t-[6px] border-l-[6px] border-t-amber-500 border-l-transparent" />
        </span>
        regressed since its previous run
      </li>
    </ul>
  );
}

// The speed view's legend: per model kind, four bands, best first, with the
// values they cover (each kind is banded against its own kind).
export function SpeedLegend({ scales, metric }: { scales: SpeedScales | null; metric: Exclude<Metric, "verdict"> }) {
  return (
    <ul className="flex flex-wrap gap-x-3 gap-y-0.5 text-[11px] text-slate-700 dark:text-slate-300" aria-label="Legend" data-testid="speed-legend">
      <li className="font-medium">{SPEEDS[metric].label} of passed pairs, banded within each kind:</li>
      {scales?.size ? (
        [...scales].map(([kind, scale]) => (
          <li key={kind} className="flex flex-wrap items-center gap-x-3 gap-y-0.5" data-testid={`speed-legend-${kind}`}>
            <span className="font-medium">{KIND_LABEL[kind]}:</span>
            {bandRanges(scale).map(({ band, label }, i) => (
              <span key={band} className="flex items-center gap-1.5">
                <span aria-hidden className={`inline-block h-3.5 w-6 rounded-sm ${BAND_CLASS[band]}`} />
                {i === 0 ? `${label} (best quarter)` : label}
              </span>
            ))}
          </li>
        ))
      ) : (
        <li>nothing measured in what is shown</li>
      )}
      <li className="flex items-center gap-1.5">
        <span aria-hidden className={`inline-flex h-3.5 w-6 items-center justify-center rounded-sm text-[10px] ${TONE_CLASS.uncertified}`}>
          ·
        </span>
        passed, not measured
      </li>
      <li>other cells: as in the verdict view</li>
    </ul>
  );
}
