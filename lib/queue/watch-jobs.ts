// The continuous-certification queue jobs, defined once for the app (which
// enqueues and upserts schedulers) and the worker (which processes and parses
// every payload again). docs/monitoring.md explains them.
import type { DefaultJobOptions } from "bullmq";
import { z } from "zod";

// Schedules and the catalog watch: one queue, fired by BullMQ job schedulers.
export const WATCH_QUEUE = "watch";
// Webhook deliveries: a queue of their own, so that a slow receiver never
// delays a certification.
export const WEBHOOK_QUEUE = "webhooks";

export const fireScheduleJob = {
  name: "fire-schedule",
  schema: z.object({ scheduleId: z.string().min(1).max(100) }).strict(),
  // One BullMQ job scheduler per schedule.
  schedulerId: (scheduleId: string) => `schedule_${scheduleId}`,
} as const;

export const catalogSyncJob = {
  name: "catalog-sync",
  schema: z.object({}).strict(),
  schedulerId: "catalog-sync",
} as const;

export const deliverWebhookJob = {
  name: "deliver-webhook",
  schema: z.object({ deliveryId: z.string().min(1).max(100) }).strict(),
  // A replay is a new queue job for the same delivery row.
  jobId: (deliveryId: string, replay = 0) => (replay ? `delivery_${deliveryId}_replay${replay}` : `delivery_${deliveryId}`),
} as const;

export const WATCH_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 3,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export function webhookJobOptions(attempts: number, backoffMs: number): DefaultJobOptions {
  return {
    attempts,
    backoff: { type: "exponential", delay: backoffMs },
    removeOnComplete: { age: 24 * 3600, count: 5_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}
