import "server-only";
// Is Bedrock answering? Each worker notes its calls per Region (in flight,
// since when, the last answer) and publishes them every few seconds to one
// Redis hash, a field per worker with its time. The web app merges the
// fresh fields: a Region with calls in flight and no answer for
// BEDROCK_SILENT_AFTER_MS is "not answering", which the header says (issue 29:
// with the simulator frozen for 100 s the console said "Processing · Live"
// and "All systems operational").
import type { RedisClient } from "@/lib/redis";

type RegionCalls = { inFlight: Map<number, number>; lastAnswerAt: number | null };
const regions = new Map<string, RegionCalls>();
let next = 0;

const of = (region: string) => {
  let r = regions.get(region);
  if (!r) regions.set(region, (r = { inFlight: new Map(), lastAnswerAt: null }));
  return r;
};

// A call begins; the returned function ends it (answered: Bedrock sent an
// answer, right or wrong; not: a timeout, a reset, a cancel).
export function noteCall(region: string): (answered: boolean) => void {
  const id = next++;
  const r = of(region);
  r.inFlight.set(id, Date.now());
  return (answered) => {
    r.inFlight.delete(id);
    if (answered) r.lastAnswerAt = Date.now();
  };
}

export type RegionHealth = { inFlight: number; oldestCallStartedAt: number | null; lastAnswerAt: number | null };

export function callHealth(): Record<string, RegionHealth> {
  return Object.fromEntries(
    [...regions].map(([region, r]) => [region, { inFlight: r.inFlight.size, oldestCallStartedAt: r.inFlight.size ? Math.min(...r.inFlight.values()) : null, lastAnswerAt: r.lastAnswerAt }]),
  );
}

const key = (prefix: string) => `${prefix}:bedrock-health`;
export const PUBLISH_EVERY_MS = 5_000;
// A worker's report older than this is a worker gone: not counted.
const STALE_MS = 4 * PUBLISH_EVERY_MS;

export async function publishCallHealth(redis: RedisClient, prefix: string, workerId: string): Promise<void> {
  await redis
    .multi()
    .hset(key(prefix), workerId, JSON.stringify({ at: Date.now(), regions: callHealth() }))
    .pexpire(key(prefix), STALE_MS * 3)
    .exec();
}

export async function withdrawCallHealth(redis: RedisClient, prefix: string, workerId: string): Promise<void> {
  await redis.hdel(key(prefix), workerId);
}

export type Silence = { region: string; seconds: number; callsInFlight: number };

// The Regions where calls are in flight and nothing has answered for silentAfterMs.
export async function silentRegions(redis: RedisClient, prefix: string, silentAfterMs: number, now = Date.now()): Promise<Silence[]> {
  const fields = await redis.hgetall(key(prefix));
  const merged = new Map<string, RegionHealth>();
  for (const raw of Object.values(fields)) {
    let report: { at: number; regions: Record<string, RegionHealth> };
    try {
      report = JSON.parse(raw) as typeof report;
    } catch {
      continue;
    }
    if (now - report.at > STALE_MS) continue;
    for (const [region, h] of Object.entries(report.regions)) {
      const m = merged.get(region) ?? { inFlight: 0, oldestCallStartedAt: null, lastAnswerAt: null };
      merged.set(region, {
        inFlight: m.inFlight + h.inFlight,
        oldestCallStartedAt: h.oldestCallStartedAt === null ? m.oldestCallStartedAt : Math.min(h.oldestCallStartedAt, m.oldestCallStartedAt ?? Infinity),
        lastAnswerAt: Math.max(h.lastAnswerAt ?? 0, m.lastAnswerAt ?? 0) || null,
      });
    }
  }
  const out: Silence[] = [];
  for (const [region, h] of merged) {
    if (h.inFlight === 0 || h.oldestCallStartedAt === null) continue;
    // Silent since the later of its last answer and its oldest waiting call.
    const since = Math.max(h.lastAnswerAt ?? 0, h.oldestCallStartedAt);
    if (now - since >= silentAfterMs) out.push({ region, seconds: Math.round((now - since) / 1000), callsInFlight: h.inFlight });
  }
  return out.sort((a, b) => b.seconds - a.seconds);
}
