import { matrixResponse } from "@/lib/certification/matrix";
import { certificationFilterSchema } from "@/lib/certification/queries";
import { prisma } from "@/lib/db/client";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/v1/matrix?<filters>: the whole model × Region grid, compact (viewer).
export const GET = route({ role: "viewer", query: certificationFilterSchema }, async ({ query, request }) => {
  // Already JSON, built by PostgreSQL once per data version.
  return matrixResponse(prisma, query, request);
});
