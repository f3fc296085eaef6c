import { NextResponse } from "next/server";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { problem, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const query = z.object({
  provider: z.string().min(1).max(100).optional(),
  enabled: z.enum(["true", "false"]).optional(),
  q: z.string().min(1).max(100).optional(),
});

// GET /api/v1/models?provider=&enabled=&q=: the catalog (viewer).
export const GET = route({ role: "viewer" }, async ({ request }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return problem(400, "validation", "The query is not valid.", parsed.error.issues.map((i) => ({ field: i.path.join("."), reason: i.message })));
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
