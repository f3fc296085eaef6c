import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { appWatchDeps } from "@/lib/queue/app-queue";
import { replayDelivery } from "@/lib/watch/subscriptions";

export const dynamic = "force-dynamic";

// POST /api/v1/deliveries/:id/replay: send a delivery again, same event id (admin).
export const POST = route({ role: "admin" }, async ({ actor, params }) => NextResponse.json(await replayDelivery(appWatchDeps(), actor, params.id!), { status: 202 }));
