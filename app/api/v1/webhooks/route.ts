import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { appWatchDeps } from "@/lib/queue/app-queue";
import { createSubscription, listSubscriptions, subscriptionInputSchema } from "@/lib/watch/subscriptions";

export const dynamic = "force-dynamic";

// GET /api/v1/webhooks: subscriptions, secrets hidden (admin).
export const GET = route({ role: "admin" }, async () => NextResponse.json({ webhooks: await listSubscriptions(appWatchDeps().db) }));

// POST /api/v1/webhooks: subscribe (admin). The reply carries the signing secret, once.
export const POST = route({ role: "admin", body: subscriptionInputSchema }, async ({ actor, body }) => {
  const created = await createSubscription(appWatchDeps().db, actor, body);
  return NextResponse.json(created, { status: 201, headers: { Location: `/api/v1/webhooks/${created.id}` } });
});
