import "server-only";
// Live progress on Redis pub/sub: one message per finished pair (with the job's
// new counters) and per job status change, for the web app to stream.
import type { RedisClient } from "@/lib/redis";
import { z } from "zod";
import { channels } from "@/lib/queue/constants";

export const jobCountersSchema = z.object({
  status: z.string(),
  totalModels: z.number(),
  processedModels: z.number(),
  successCount: z.number(),
  failureCount: z.number(),
  cancelledCount: z.number(),
  // Pairs not tried because of their availability (docs/certification.md).
  notOfferedCount: z.number(),
  profileOnlyCount: z.number(),
  legacyCount: z.number(),
  unsupportedCount: z.number(),
});
export type JobCounters = z.infer<typeof jobCountersSchema>;

export const progressEventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("pair"),
    jobId: z.string(),
    pairId: z.string(),
    modelId: z.string(),
    region: z.string(),
    status: z.string(),
    passed: z.boolean().nullable(),
    score: z.number().nullable(),
    rating: z.string().nullable(),
    errorCategory: z.string().nullable(),
    availability: z.string().nullable(),
    job: jobCountersSchema,
    at: z.string(),
  }),
  z.object({ type: z.literal("job"), jobId: z.string(), job: jobCountersSchema, at: z.string() }),
]);
export type ProgressEvent = z.infer<typeof progressEventSchema>;

// Progress goes two ways: pub/sub for listeners that are there now (the CLI),
// and a Redis stream, whose entry ids let an SSE client that reconnects with
// Last-Event-ID get what it missed (the last ~10,000 events are kept).
export const progressStreamKey = (prefix: string) => `${channels(prefix).events}:log`;

// Where the progress stream stands now: its newest entry's id ("0-0" when it is
// empty). A stream that starts here delivers every event published after.
export async function progressStreamPosition(redis: Pick<RedisClient, "xrevrange">, prefix: string): Promise<string> {
  const newest = (await redis.xrevrange(progressStreamKey(prefix), "+", "-", "COUNT", 1)) as [string, string[]][];
  return newest[0]?.[0] ?? "0-0";
}

export async function publishProgress(redis: RedisClient, prefix: string, event: ProgressEvent): Promise<void> {
  const json = JSON.stringify(event);
  await redis.multi().publish(channels(prefix).events, json).xadd(progressStreamKey(prefix), "MAXLEN", "~", "10000", "*", "event", json).exec();
}

export function parseProgress(message: string): ProgressEvent | null {
  try {
    const parsed = progressEventSchema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
