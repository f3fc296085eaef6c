import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { appWatchDeps } from "@/lib/queue/app-queue";
import { scheduleChangeSchema } from "@/lib/watch/schedule-input";
import { deleteSchedule, getSchedule, updateSchedule } from "@/lib/watch/schedules";

export const dynamic = "force-dynamic";

// GET /api/v1/schedules/:id (viewer).
export const GET = route({ role: "viewer" }, async ({ params }) => NextResponse.json(await getSchedule(appWatchDeps().db, params.id!)));

// PATCH /api/v1/schedules/:id: change any field, pause ({paused: true}) or resume (admin).
export const PATCH = route({ role: "admin", body: scheduleChangeSchema }, async ({ actor, body, params }) => NextResponse.json(await updateSchedule(appWatchDeps(), actor, params.id!, body)));

// DELETE /api/v1/schedules/:id (admin).
export const DELETE = route({ role: "admin" }, async ({ actor, params }) => {
  await deleteSchedule(appWatchDeps(), actor, params.id!);
  return new Response(null, { status: 204 });
});
