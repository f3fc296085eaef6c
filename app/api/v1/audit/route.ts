import { NextResponse } from "next/server";
import { readAuditLog } from "@/lib/audit";
import { prisma } from "@/lib/db/client";
import { auditQuerySchema } from "@/lib/http/audit-query";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/v1/audit?limit=&actor=: the latest admin actions (viewer: every
// entry, with URLs trimmed to their origin and secret-like details withheld).
export const GET = route({ role: "viewer", query: auditQuerySchema }, async ({ actor, query }) => {
  return NextResponse.json({ entries: await readAuditLog(prisma, actor, query) });
});
