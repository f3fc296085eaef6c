// Bedrock call health across workers: each worker's report in one Redis hash,
// merged by the web app into the Regions that are not answering.
import { afterAll, expect, it } from "vitest";
import { noteCall, publishCallHealth, silentRegions, withdrawCallHealth } from "@/lib/bedrock/call-health";
import { createRedisConnection } from "@/lib/redis";
import { uniquePrefix } from "../helpers/worker";

const redis = createRedisConnection();
const prefix = uniquePrefix("call-health");
afterAll(() => redis.disconnect());

it("a Region whose calls wait with no answer for the threshold is silent; an answer or the calls' end clears it; a gone worker does not count", async () => {
  const end = noteCall("eu-south-2");
  await publishCallHealth(redis, prefix, "worker-a");
  const now = Date.now();
  expect(await silentRegions(redis, prefix, 15_000, now)).toEqual([]);
  // 20 s later, still waiting: silent, with how long and how many calls.
  expect(await silentRegions(redis, prefix, 15_000, now + 20_000)).toEqual([]); // (the report itself is 20 s old: stale)
  await publishCallHealth(redis, prefix, "worker-a");
  const silent = await silentRegions(redis, prefix, 15_000, Date.now() + 16_000);
  expect(silent).toEqual([{ region: "eu-south-2", seconds: expect.any(Number), callsInFlight: 1 }]);
  expect(silent[0]!.seconds).toBeGreaterThanOrEqual(16);
  // Another call in the same Region answers: not silent any more.
  noteCall("eu-south-2")(true);
  await publishCallHealth(redis, prefix, "worker-a");
  expect(await silentRegions(redis, prefix, 15_000, Date.now() + 1_000)).toEqual([]);
  // The waiting call ends (a timeout: no answer) and nothing waits any more.
  end(false);
  await publishCallHealth(redis, prefix, "worker-a");
  expect(await silentRegions(redis, prefix, 15_000, Date.now() + 16_000)).toEqual([]);
  await withdrawCallHealth(redis, prefix, "worker-a");
  expect(await redis.hlen(`${prefix}:bedrock-health`)).toBe(0);
});
