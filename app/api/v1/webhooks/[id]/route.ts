import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { appWatchDeps } from "@/lib/queue/app-queue";
import { deleteSubscription, subscriptionChangeSchema, updateSubscription } from "@/lib/watch/subscriptions";

export const dynamic = "force-dynamic";

// PATCH /api/v1/webhooks/:id: change filters, URL, secret, enable/disable (admin).
export const PATCH = route({ role: "admin", body: subscriptionChangeSchema }, async ({ actor, body, params }) =>
  NextResponse.json(await updateSubscription(appWatchDeps().db, actor, params.id!, body)),
);

// DELETE /api/v1/webhooks/:id (admin): its deliveries go with it.
export const DELETE = route({ role: "admin" }, async ({ actor, params }) => {
  await deleteSubscription(appWatchDeps().db, actor, params.id!);
  return new Response(null, { status: 204 });
});
