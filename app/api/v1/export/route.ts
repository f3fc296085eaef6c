import { NextResponse } from "next/server";
import { z } from "zod";
import { exportRows, toCsv } from "@/lib/certification/export";
import { matrix } from "@/lib/certification/matrix";
import { certificationFilterSchema } from "@/lib/certification/queries";
import { prisma } from "@/lib/db/client";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const querySchema = certificationFilterSchema.extend({ format: z.enum(["csv", "json"]).default("csv") }).strict();

// GET /api/v1/export?format=csv|json&<filters>: the filtered matrix as a file (viewer).
export const GET = route({ role: "viewer", query: querySchema }, async ({ query }) => {
  const { format, ...filter } = query;
  // What the matrix page shows: enabled models in enabled Regions.
  const rows = exportRows(await matrix(prisma, filter, { enabledOnly: true }));
  const stamp = new Date().toISOString().slice(0, 10);
  if (format === "json") return NextResponse.json(rows, { headers: { "Content-Disposition": `attachment; filename="certifications-${stamp}.json"` } });
  return new NextResponse(toCsv(rows), { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="certifications-${stamp}.csv"` } });
});
