// Frozen queue settings, in one place for the app (which enqueues) and the
// worker (which processes). docs/queue.md explains each.
import type { DefaultJobOptions } from "bullmq";

export const PAIR_QUEUE = "certify-pairs";

export const PAIR_JOB_OPTIONS: DefaultJobOptions = {
  // A processor only throws for infrastructure trouble (PostgreSQL down, say);
  // the pair is then retried with backoff. Model failures are results, not throws.
  attempts: 8,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 20_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

// Redis pub/sub channels (under the queue prefix).
export const channels = (prefix: string) => ({
  // Cancel requests for running pairs, to every worker process.
  cancel: `${prefix}:cancel`,
  // Progress: one message per finished pair and per job status change.
  events: `${prefix}:events`,
});
