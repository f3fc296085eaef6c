import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { appWatchDeps } from "@/lib/queue/app-queue";
import { deliveriesQuerySchema, listDeliveries } from "@/lib/watch/subscriptions";

export const dynamic = "force-dynamic";

// GET /api/v1/webhooks/:id/deliveries: newest first, with status, attempts, last error (admin).
export const GET = route({ role: "admin", query: deliveriesQuerySchema }, async ({ params, query }) => NextResponse.json({ deliveries: await listDeliveries(appWatchDeps().db, params.id!, query) }));
