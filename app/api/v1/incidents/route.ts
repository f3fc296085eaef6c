import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { prisma } from "@/lib/db/client";
import { incidentsQuerySchema, listIncidents } from "@/lib/watch/queries";

export const dynamic = "force-dynamic";

// GET /api/v1/incidents: open first, then resolved, newest first (viewer).
export const GET = route({ role: "viewer", query: incidentsQuerySchema }, async ({ query }) => NextResponse.json(await listIncidents(prisma, query)));
