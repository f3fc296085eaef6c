import { NextResponse } from "next/server";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { parseQuery, problem, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const query = z.object({
  provider: z.string().min(1).max(100).optional(),
  enabled: z.enum(["true", "false"]).optional(),
  q: z.string().min(1).max(100).optional(),
});

// GET /api/v1/models?provider=&enabled=&q=: the catalog (viewer).
export const GET = route({ role: "viewer" }, async ({ request }) => {
  const parsed = parseQuery(query, request.url);
  if (!parsed.ok) return problem(400, "validation", "The query is not valid.", parsed.fields);
  const { provider, enabled, q } = parsed.data;
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
