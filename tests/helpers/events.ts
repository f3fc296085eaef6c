// A job's counters as progress events carry them, all zero unless given.
import type { JobCounters } from "@/lib/certification/events";

export const counters = (partial: Partial<JobCounters> = {}): JobCounters => ({
  status: "PROCESSING",
  totalModels: 1,
  processedModels: 0,
  successCount: 0,
  failureCount: 0,
  cancelledCount: 0,
  notOfferedCount: 0,
  profileOnlyCount: 0,
  legacyCount: 0,
  unsupportedCount: 0,
  ...partial,
});
