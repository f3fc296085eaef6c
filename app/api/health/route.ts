import { NextResponse } from "next/server";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { checkHealth } from "@/lib/health";
import { healthRedis } from "@/lib/health-redis";

export const dynamic = "force-dynamic";

// GET /api/health: 200 when PostgreSQL and Redis both answer, 503 naming the
// ones that do not. Public: load balancers and `npm run dev` poll it.
export async function GET() {
  const report = await checkHealth({ prisma, redis: healthRedis(), timeoutMs: env.HEALTH_TIMEOUT_MS });
  return NextResponse.json(report, {
    status: report.down.length === 0 ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
