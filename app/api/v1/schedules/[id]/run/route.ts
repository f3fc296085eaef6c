import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { appJobDeps } from "@/lib/queue/app-queue";
import { runScheduleNow } from "@/lib/watch/schedules";

export const dynamic = "force-dynamic";

// POST /api/v1/schedules/:id/run: fire it now, as its next slot would (admin).
export const POST = route({ role: "admin" }, async ({ actor, params }) => NextResponse.json(await runScheduleNow(appJobDeps(), actor, params.id!)));
