import type { Metadata } from "next";
import { MatrixPage } from "@/components/matrix/matrix-page";
import { progressStreamPosition } from "@/lib/certification/events";
import { grid } from "@/lib/certification/matrix";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { appJobDeps } from "@/lib/queue/app-queue";

export const metadata: Metadata = { title: "Matrix" };
export const dynamic = "force-dynamic";
const REDIS_WAIT_MS = 250;

// The grid comes with the page (no round trip before the first paint); the
// browser keeps it live from there.
export default async function HomePage() {
  // Where the live stream stood before the grid was read: when the browser's
  // stream starts there, the grid missed nothing and is not read again (null:
  // Redis did not say within REDIS_WAIT_MS, e.g. it is down, and the page must
  // not wait for it; the browser reads the grid again).
  const streamPosition = await Promise.race([progressStreamPosition(appJobDeps().redis, env.QUEUE_PREFIX), new Promise<null>((resolve) => setTimeout(() => resolve(null), REDIS_WAIT_MS))]).catch(
    () => null,
  );
  const initialGrid = await grid(prisma);
  // The moment it was rendered: relative ages ("3 min ago") are computed from
  // it on the server and while hydrating, so both render the same text.
  // A server component renders once per request: its clock is the point here.
  // eslint-disable-next-line react-hooks/purity
  return <MatrixPage initialGrid={initialGrid} streamPosition={streamPosition} renderedAt={Date.now()} />;
}
