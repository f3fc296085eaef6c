import { NextResponse } from "next/server";
import { prisma } from "@/lib/db/client";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/v1/regions: every Region, grouped by geography in the UI (viewer).
export const GET = route({ role: "viewer" }, async () => {
  const regions = await prisma.region.findMany({ orderBy: [{ geography: "asc" }, { code: "asc" }] });
  return NextResponse.json({ regions });
});
