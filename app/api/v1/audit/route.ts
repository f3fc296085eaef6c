import { NextResponse } from "next/server";
import { prisma } from "@/lib/db/client";
import { auditQuerySchema } from "@/lib/http/audit-query";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/v1/audit?limit=&actor=: the latest admin actions (viewer: everyone sees everything).
export const GET = route({ role: "viewer", query: auditQuerySchema }, async ({ query }) => {
  const entries = await prisma.auditEntry.findMany({ where: query.actor ? { actorEmail: query.actor } : {}, orderBy: { createdAt: "desc" }, take: query.limit });
  return NextResponse.json({ entries });
});
