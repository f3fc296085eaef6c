import { NextResponse } from "next/server";
import { certificationFilterSchema, listCertifications, listQuerySchema } from "@/lib/certification/queries";
import { prisma } from "@/lib/db/client";
import { parseQuery, problem, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const querySchema = certificationFilterSchema.extend(listQuerySchema.shape).strict();

// GET /api/v1/certifications?region=&status=&provider=&rating=&passed=&staleSince=&q=&sort=&order=&limit=&cursor=
// The current certifications, filtered, sorted, a page at a time (viewer).
export const GET = route({ role: "viewer" }, async ({ request }) => {
  const q = parseQuery(querySchema, request.url);
  if (!q.ok) return problem(400, "validation", "The query is not valid.", q.fields);
  const { sort, order, limit, cursor, ...filter } = q.data;
  return NextResponse.json(await listCertifications(prisma, filter, { sort, order, limit, cursor }));
});
