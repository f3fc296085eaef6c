import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { appCatalogWatchDeps } from "@/lib/queue/app-queue";
import { syncCatalogAndWatch } from "@/lib/watch/catalog-watch";

export const dynamic = "force-dynamic";

// POST /api/v1/models/sync: read every enabled Region's catalog from Bedrock
// (admin); what changed is recorded and, unless CATALOG_AUTO_CERTIFY is off, certified.
export const POST = route({ role: "admin" }, async ({ actor }) => {
  const report = await syncCatalogAndWatch(appCatalogWatchDeps(), actor);
  return NextResponse.json(report);
});
