import { TONE_LABEL, type CellTone } from "./grid-view";
import { TONE_CLASS, TONE_SAMPLE } from "./tones";

// Certified (scored), then in progress, then the neutral availability looks.
const SHOWN: CellTone[] = ["excellent", "good", "fair", "poor", "failed", "running", "cancelled", "uncertified", "profile", "unavailable", "legacy", "unsupported", "unknown"];

export function Legend() {
  return (
    <ul className="flex flex-wrap gap-x-3 gap-y-0.5 text-[11px] text-slate-700 dark:text-slate-300" aria-label="Legend">
      {SHOWN.map((tone) => (
        <li key={tone} className="flex items-center gap-1.5">
          <span aria-hidden className={`inline-flex h-3.5 w-6 items-center justify-center rounded-sm text-[10px] leading-none font-semibold ${TONE_CLASS[tone]}`}>
            {TONE_SAMPLE[tone]}
          </span>
          {TONE_LABEL[tone]}
        </li>
      ))}
    </ul>
  );
}
