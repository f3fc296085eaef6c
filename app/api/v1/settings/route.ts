import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { env } from "@/lib/env";
import { appWatchDeps } from "@/lib/queue/app-queue";
import { appSettingsSchema, readSettings } from "@/lib/watch/app-settings";
import { changeSettings } from "@/lib/watch/settings-change";

export const dynamic = "force-dynamic";

const defaults = () => ({ catalogSyncCron: env.CATALOG_SYNC_CRON });

// GET /api/v1/settings (viewer).
export const GET = route({ role: "viewer" }, async () => NextResponse.json(await readSettings(appWatchDeps().db, defaults())));

// PATCH /api/v1/settings (admin): the catalog sync's schedule, the public status page.
export const PATCH = route({ role: "admin", body: appSettingsSchema.partial() }, async ({ actor, body }) =>
  NextResponse.json(await changeSettings(appWatchDeps(), actor, body, env.CATALOG_SYNC_CRON)),
);
