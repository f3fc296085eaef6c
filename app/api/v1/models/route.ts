import { NextResponse } from "next/server";
import { catalogQuerySchema } from "@/lib/catalog/catalog-query";
import { prisma } from "@/lib/db/client";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/v1/models?provider=&enabled=&q=: the catalog (viewer).
export const GET = route({ role: "viewer", query: catalogQuerySchema }, async ({ query }) => {
  const { provider, enabled, q } = query;
  const models = await prisma.aIModel.findMany({
    where: {
      ...(provider ? { provider: { equals: provider, mode: "insensitive" } } : {}),
      ...(enabled ? { enabled: enabled === "true" } : {}),
      ...(q ? { OR: [{ name: { contains: q, mode: "insensitive" } }, { bedrockModelId: { contains: q, mode: "insensitive" } }] } : {}),
    },
    orderBy: [{ provider: "asc" }, { name: "asc" }],
  });
  return NextResponse.json({ models });
});
