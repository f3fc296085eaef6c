// The watch's thresholds, from the validated environment (docs/monitoring.md).
import type { Env } from "@/lib/env";
import type { WatchSettings } from "./after-pair";

export function watchSettings(env: Env): WatchSettings {
  return {
    regression: { scoreDrop: env.REGRESSION_SCORE_DROP, latencyFactor: env.REGRESSION_LATENCY_FACTOR, latencyMarginMs: env.REGRESSION_LATENCY_MARGIN_MS },
    incidents: { modelMinRegions: env.INCIDENT_MODEL_MIN_REGIONS, regionMinModels: env.INCIDENT_REGION_MIN_MODELS, windowHours: env.INCIDENT_WINDOW_HOURS, clearRuns: env.INCIDENT_CLEAR_RUNS },
  };
}
