import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { appWatchDeps } from "@/lib/queue/app-queue";
import { scheduleInputSchema } from "@/lib/watch/schedule-input";
import { createSchedule, listSchedules } from "@/lib/watch/schedules";

export const dynamic = "force-dynamic";

// GET /api/v1/schedules: every schedule with its next fire times (viewer).
export const GET = route({ role: "viewer" }, async () => NextResponse.json({ schedules: await listSchedules(appWatchDeps().db) }));

// POST /api/v1/schedules: create one (admin); its job scheduler is set at once.
export const POST = route({ role: "admin", body: scheduleInputSchema }, async ({ actor, body }) => {
  const schedule = await createSchedule(appWatchDeps(), actor, body);
  return NextResponse.json(schedule, { status: 201, headers: { Location: `/api/v1/schedules/${schedule.id}` } });
});
