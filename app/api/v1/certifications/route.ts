import { certificationFilterSchema, listCertificationsJson, listQuerySchema } from "@/lib/certification/queries";
import { prisma } from "@/lib/db/client";
import { jsonText, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const querySchema = certificationFilterSchema.extend(listQuerySchema.shape).strict();

// GET /api/v1/certifications?region=&status=&provider=&rating=&passed=&staleSince=&q=&sort=&order=&limit=&cursor=
// The current certifications, filtered, sorted, a page at a time (viewer).
export const GET = route({ role: "viewer", query: querySchema }, async ({ query }) => {
  const { sort, order, limit, cursor, ...filter } = query;
  return jsonText(await listCertificationsJson(prisma, filter, { sort, order, limit, cursor }));
});
