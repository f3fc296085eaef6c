import "server-only";
// The web app's /metrics: who may read it (a bearer METRICS_TOKEN, or a
// client on this machine when no token is set) and its queue gauges.
import { timingSafeEqual } from "node:crypto";
import { clientAddressOf } from "@/lib/auth/actor";
import { env } from "@/lib/env";
import { appJobDeps, appWatchDeps } from "@/lib/queue/app-queue";
import { metricsText, watchQueues } from "./metrics";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const globalForMetrics = globalThis as unknown as { queuesWatched?: boolean };

export function mayReadMetrics(headers: Headers): boolean {
  if (env.METRICS_TOKEN) {
    const given = Buffer.from(/^Bearer (.+)$/.exec(headers.get("authorization") ?? "")?.[1] ?? "");
    const expected = Buffer.from(env.METRICS_TOKEN);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  return LOOPBACK.has(clientAddressOf(headers) ?? "");
}

export async function webMetrics() {
  if (!globalForMetrics.queuesWatched) {
    globalForMetrics.queuesWatched = true;
    const { webhooks, watchQueue } = appWatchDeps();
    watchQueues([appJobDeps().queue, watchQueue, webhooks]);
  }
  return metricsText();
}
