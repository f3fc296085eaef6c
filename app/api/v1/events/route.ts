import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { prisma } from "@/lib/db/client";
import { eventsQuerySchema, listEvents } from "@/lib/watch/queries";

export const dynamic = "force-dynamic";

// GET /api/v1/events: what the product noticed, newest first (viewer).
export const GET = route({ role: "viewer", query: eventsQuerySchema }, async ({ query }) => NextResponse.json(await listEvents(prisma, query)));
