import { matrixResponse } from "@/lib/certification/matrix";
import { certificationFilterSchema } from "@/lib/certification/queries";
import { prisma } from "@/lib/db/client";
import { parseQuery, problem, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/v1/matrix?<filters>: the whole model × Region grid, compact (viewer).
export const GET = route({ role: "viewer" }, async ({ request }) => {
  const q = parseQuery(certificationFilterSchema, request.url);
  if (!q.ok) return problem(400, "validation", "The query is not valid.", q.fields);
  // Already JSON, built by PostgreSQL once per data version.
  return matrixResponse(prisma, q.data, request);
});
