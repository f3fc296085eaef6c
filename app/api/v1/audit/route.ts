import { NextResponse } from "next/server";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { parseQuery, problem, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const query = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), actor: z.string().email().optional() });

// GET /api/v1/audit?limit=&actor=: the latest admin actions (viewer: everyone sees everything).
export const GET = route({ role: "viewer" }, async ({ request }) => {
  const parsed = parseQuery(query, request.url);
  if (!parsed.ok) return problem(400, "validation", "The query is not valid.", parsed.fields);
  const entries = await prisma.auditEntry.findMany({ where: parsed.data.actor ? { actorEmail: parsed.data.actor } : {}, orderBy: { createdAt: "desc" }, take: parsed.data.limit });
  return NextResponse.json({ entries });
});
