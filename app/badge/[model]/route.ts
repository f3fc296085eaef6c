import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { readSettings } from "@/lib/watch/app-settings";
import { badgeResponse, safeDecode, modelBadge } from "@/lib/watch/badges";

export const dynamic = "force-dynamic";

// GET /badge/:model.svg: a model over its offered Regions ("passed 12/14");
// public while the status page is.
export async function GET(request: Request, context: { params: Promise<{ model: string }> }) {
  const { model: file } = await context.params;
  const model = safeDecode(file).replace(/\.svg$/, "");
  const { statusPagePublic, statusPageModels } = await readSettings(prisma, { catalogSyncCron: env.CATALOG_SYNC_CRON });
  if (!statusPagePublic || !file.endsWith(".svg") || model.length > 200) return badgeResponse(null, request);
  return badgeResponse(await modelBadge(prisma, model, statusPageModels), request);
}
