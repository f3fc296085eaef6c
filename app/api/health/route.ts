import { NextResponse } from "next/server";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { checkHealth } from "@/lib/health";
import { healthRedis } from "@/lib/health-redis";
import { silentRegions } from "@/lib/bedrock/call-health";

export const dynamic = "force-dynamic";

// GET /api/health: 200 when PostgreSQL and Redis both answer, 503 naming the
// ones that do not. Public: load balancers and `npm run dev` poll it. It also
// names the Regions where Bedrock has left the workers' calls unanswered for
// BEDROCK_SILENT_AFTER_MS (region and seconds only), for the console's header.
export async function GET() {
  const report = await checkHealth({ prisma, redis: healthRedis(), timeoutMs: env.HEALTH_TIMEOUT_MS });
  const bedrockSilent = report.checks.redis.status === "up" ? await silentRegions(healthRedis(), env.QUEUE_PREFIX, env.BEDROCK_SILENT_AFTER_MS).catch(() => []) : [];
  return NextResponse.json(
    { ...report, bedrockSilent },
    {
      status: report.down.length === 0 ? 200 : 503,
      headers: { "Cache-Control": "no-store" },
    },
  );
}
