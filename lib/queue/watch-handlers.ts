import "server-only";
// The worker's handlers for the watch queue (schedules, the catalog sync) and
// the webhook queue. Payloads are parsed again here.
import type { Job } from "bullmq";
import type { Logger } from "pino";
import { systemActor } from "@/lib/audit";
import type { BedrockClients } from "@/lib/bedrock/clients";
import type { JobDeps } from "@/lib/certification/jobs";
import { syncCatalogAndWatch } from "@/lib/watch/catalog-watch";
import type { WatchDeps } from "@/lib/watch/events";
import { fireSchedule } from "@/lib/watch/schedules";
import type { EgressPolicy } from "@/lib/watch/egress";
import { deliverWebhook } from "@/lib/watch/webhooks";
import { metrics } from "@/lib/metrics/metrics";
import { catalogSyncJob, deliverWebhookJob, fireScheduleJob } from "./watch-jobs";

export type WatchHandlerDeps = { jobs: JobDeps; watch: WatchDeps; bedrock: BedrockClients; autoCertify: boolean; log: Logger };

export function createWatchHandler(deps: WatchHandlerDeps) {
  return async (job: Job) => {
    if (job.name === fireScheduleJob.name) {
      const { scheduleId } = fireScheduleJob.schema.parse(job.data);
      // The scheduler's job id names its slot ("repeat:<scheduler>:<millis>").
      const result = await fireSchedule(deps.jobs, scheduleId, job.id ?? `at:${job.timestamp}`);
      deps.log.info({ scheduleId, slot: job.id, ...result }, "schedule fired");
      return result;
    }
    if (job.name === catalogSyncJob.name) {
      catalogSyncJob.schema.parse(job.data);
      const report = await syncCatalogAndWatch({ ...deps.watch, jobs: deps.jobs, bedrock: deps.bedrock, autoCertify: deps.autoCertify }, systemActor("catalog-schedule"));
      const summary = { regions: report.regions.length, failed: report.regions.filter((r) => !r.ok).length, changes: report.changes.length, events: report.events, certifyJobId: report.certifyJobId };
      deps.log.info(summary, "scheduled catalog sync done");
      return summary;
    }
    throw new Error(`unknown watch job "${job.name}"`);
  };
}

export function createWebhookHandler(deps: { db: JobDeps["db"]; appUrl: string; timeoutMs: number; egress: EgressPolicy; log: Logger }) {
  return async (job: Job) => {
    const { deliveryId } = deliverWebhookJob.schema.parse(job.data);
    const attempts = job.opts.attempts ?? 1;
    const outcome = await deliverWebhook(deps, deliveryId, { number: job.attemptsMade + 1, last: job.attemptsMade + 1 >= attempts });
    if (outcome) metrics.webhookDeliveries.inc({ outcome: outcome.status.toLowerCase() });
    if (outcome && outcome.status !== "DELIVERED") {
      deps.log.info({ deliveryId, attempt: job.attemptsMade + 1, code: outcome.code, err: outcome.error }, "webhook delivery failed");
      // BullMQ retries it with backoff (the last try has marked it FAILED).
      throw new Error(outcome.error ?? "delivery failed");
    }
    return outcome;
  };
}
