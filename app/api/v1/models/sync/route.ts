import { NextResponse } from "next/server";
import { appBedrockClients } from "@/lib/bedrock/app-clients";
import { env } from "@/lib/env";
import { route } from "@/lib/http/route";
import { appJobDeps, appWatchDeps } from "@/lib/queue/app-queue";
import { syncCatalogAndWatch } from "@/lib/watch/catalog-watch";

export const dynamic = "force-dynamic";

// POST /api/v1/models/sync: read every enabled Region's catalog from Bedrock
// (admin); what changed is recorded and, unless CATALOG_AUTO_CERTIFY is off, certified.
export const POST = route({ role: "admin" }, async ({ actor }) => {
  const report = await syncCatalogAndWatch({ ...appWatchDeps(), jobs: appJobDeps(), bedrock: appBedrockClients(), autoCertify: env.CATALOG_AUTO_CERTIFY }, actor);
  return NextResponse.json(report);
});
