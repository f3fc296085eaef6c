import { NextResponse } from "next/server";
import { startJobInputSchema } from "@/lib/certification/job-input";
import { previewJob } from "@/lib/certification/jobs";
import { prisma } from "@/lib/db/client";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// POST /api/v1/jobs/preview: what the job in the body would be, by
// availability, with the numbers the job will show; starts nothing (admin:
// the start dialog asks it as the selection changes).
export const POST = route({ role: "admin", body: startJobInputSchema }, async ({ body }) => {
  return NextResponse.json(await previewJob({ db: prisma }, body));
});
