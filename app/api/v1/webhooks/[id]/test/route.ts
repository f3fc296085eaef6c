import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { appWatchDeps } from "@/lib/queue/app-queue";
import { sendTestEvent } from "@/lib/watch/subscriptions";

export const dynamic = "force-dynamic";

// POST /api/v1/webhooks/:id/test: send a "test" event to this subscription (admin).
export const POST = route({ role: "admin" }, async ({ actor, params }) => NextResponse.json(await sendTestEvent(appWatchDeps(), actor, params.id!), { status: 202 }));
