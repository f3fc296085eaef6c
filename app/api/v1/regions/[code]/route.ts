import { NextResponse } from "next/server";
import { z } from "zod";
import { setRegionEnabled } from "@/lib/catalog/admin";
import { prisma } from "@/lib/db/client";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// PATCH /api/v1/regions/:code {"enabled": false}: leave a Region out of new jobs (admin).
export const PATCH = route({ role: "admin", body: z.object({ enabled: z.boolean() }).strict() }, async ({ actor, params, body }) => {
  return NextResponse.json(await setRegionEnabled(prisma, actor, params.code!, body.enabled));
});
