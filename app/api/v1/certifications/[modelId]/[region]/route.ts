import { cellDetailJson } from "@/lib/certification/cell-detail";
import { prisma } from "@/lib/db/client";
import { jsonText, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/v1/certifications/:modelId/:region: one cell, its per-test results
// and its last 50 runs, newest first, with what the watch noticed about it
// (regressions, catalog changes; last 20) (viewer). modelId: catalog or Bedrock id.
export const GET = route({ role: "viewer" }, async ({ params }) => jsonText(await cellDetailJson(prisma, params.modelId!, params.region!)));
