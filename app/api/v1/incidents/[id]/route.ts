import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { prisma } from "@/lib/db/client";
import { getIncident } from "@/lib/watch/queries";

export const dynamic = "force-dynamic";

// GET /api/v1/incidents/:id: one incident with its timeline (viewer).
export const GET = route({ role: "viewer" }, async ({ params }) => NextResponse.json(await getIncident(prisma, params.id!)));
