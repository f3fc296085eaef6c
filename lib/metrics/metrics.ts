// Prometheus metrics for the operators' own monitoring (docs/monitoring.md
// lists each). One registry per process: the worker serves it at /metrics on
// its health server, the web app at /metrics; Prometheus adds them up across
// processes. Labels are bounded: Region codes, model kinds, verdicts, error
// categories, queue names — never model ids or users.
import type { Queue } from "bullmq";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "brc_process_" });

const SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 90];

export const metrics = {
  bedrockCallSeconds: new Histogram({
    name: "brc_bedrock_call_duration_seconds",
    help: "One Bedrock call's duration (each attempt), by Region, model kind and outcome (ok or the error category)",
    labelNames: ["region", "kind", "outcome"] as const,
    buckets: SECONDS,
    registers: [registry],
  }),
  timeToFirstTokenSeconds: new Histogram({
    name: "brc_time_to_first_token_seconds",
    help: "Time to the first streamed token measured by a pair's latency test, by Region and model kind",
    labelNames: ["region", "kind"] as const,
    buckets: SECONDS,
    registers: [registry],
  }),
  verdicts: new Counter({
    name: "brc_verdicts_total",
    help: "Pairs finished, by verdict (passed, failed, not-offered, …) and error category",
    labelNames: ["verdict", "category"] as const,
    registers: [registry],
  }),
  throttles: new Counter({ name: "brc_bedrock_throttles_total", help: "Bedrock calls throttled, by Region", labelNames: ["region"] as const, registers: [registry] }),
  regionSlotsInUse: new Gauge({
    name: "brc_region_slots_in_use",
    help: "Region slots this process holds (sum over workers: the Region's use)",
    labelNames: ["region"] as const,
    registers: [registry],
  }),
  jobSeconds: new Histogram({
    name: "brc_job_duration_seconds",
    help: "Certification jobs from start to end, by final status",
    labelNames: ["status"] as const,
    buckets: [10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200],
    registers: [registry],
  }),
  webhookDeliveries: new Counter({
    name: "brc_webhook_deliveries_total",
    help: "Webhook delivery attempts by outcome (delivered, retrying, failed)",
    labelNames: ["outcome"] as const,
    registers: [registry],
  }),
  incidentsOpened: new Counter({ name: "brc_incidents_opened_total", help: "Incidents opened, by scope (model, region)", labelNames: ["scope"] as const, registers: [registry] }),
  regressions: new Counter({
    name: "brc_regressions_total",
    help: "Regressions found, by kind (failed, rating, score, latency, timeToFirstToken)",
    labelNames: ["kind"] as const,
    registers: [registry],
  }),
};

type CountingQueue = Pick<Queue, "name" | "getJobCounts" | "getJobs">;

// Queue depth and the age of the oldest waiting job, read from Redis at each
// scrape (a gauge that collects itself).
export function watchQueues(queues: CountingQueue[]) {
  new Gauge({
    name: "brc_queue_jobs",
    help: "Jobs in each BullMQ queue, by state",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      for (const q of queues) {
        const counts = await q.getJobCounts("waiting", "delayed", "active", "failed", "prioritized").catch(() => null);
        if (counts) for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
      }
    },
  });
  new Gauge({
    name: "brc_queue_oldest_waiting_seconds",
    help: "Age of the oldest job waiting in each queue (0 when none waits)",
    labelNames: ["queue"] as const,
    registers: [registry],
    async collect() {
      for (const q of queues) {
        const [oldest] = await q.getJobs(["waiting", "prioritized"], 0, 0, true).catch(() => []);
        this.set({ queue: q.name }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
      }
    },
  });
}

export async function metricsText(): Promise<{ body: string; contentType: string }> {
  return { body: await registry.metrics(), contentType: registry.contentType };
}
