import { NextResponse } from "next/server";
import { appBedrockClients } from "@/lib/bedrock/app-clients";
import { syncCatalog } from "@/lib/catalog/sync";
import { prisma } from "@/lib/db/client";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// POST /api/v1/models/sync: read every enabled Region's catalog from Bedrock (admin).
export const POST = route({ role: "admin" }, async ({ actor }) => {
  const report = await syncCatalog({ db: prisma, bedrock: appBedrockClients(), actor });
  return NextResponse.json(report);
});
