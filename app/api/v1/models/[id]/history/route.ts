import { historyQuerySchema, modelHistoryJson } from "@/lib/certification/model-history";
import { prisma } from "@/lib/db/client";
import { jsonText, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/v1/models/:id/history?days=90: the model's runs over time, per
// Region, with score and latency (viewer).
export const GET = route({ role: "viewer", query: historyQuerySchema }, async ({ query, params }) => jsonText(await modelHistoryJson(prisma, params.id!, query.days)));
