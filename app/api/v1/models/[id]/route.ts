import { NextResponse } from "next/server";
import { z } from "zod";
import { setModelEnabled } from "@/lib/catalog/admin";
import { prisma } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { modelRefWhere } from "@/lib/catalog/model-ref";

export const dynamic = "force-dynamic";

// GET /api/v1/models/:id (catalog id or Bedrock model id): the model, where it
// is offered and its current certifications (viewer).
export const GET = route({ role: "viewer" }, async ({ params }) => {
  const model = await prisma.aIModel.findFirst({
    where: modelRefWhere(params.id!),
    include: { availability: { orderBy: { region: "asc" } }, certifications: { orderBy: { region: "asc" }, omit: { testResults: true } } },
  });
  if (!model) throw notFound("Model");
  return NextResponse.json(model);
});

// PATCH /api/v1/models/:id {"enabled": false}: take a model out of new jobs (admin).
export const PATCH = route({ role: "admin", body: z.object({ enabled: z.boolean() }).strict() }, async ({ actor, params, body }) => {
  return NextResponse.json(await setModelEnabled(prisma, actor, params.id!, body.enabled));
});
