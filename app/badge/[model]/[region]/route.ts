import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { readSettings } from "@/lib/watch/app-settings";
import { badgeResponse, safeDecode, cellBadge } from "@/lib/watch/badges";

export const dynamic = "force-dynamic";

const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;

// GET /badge/:model/:region.svg: the verdict of a model (catalog or Bedrock id)
// in a Region and its age; public while the status page is.
export async function GET(request: Request, context: { params: Promise<{ model: string; region: string }> }) {
  const { model, region: file } = await context.params;
  const region = file.replace(/\.svg$/, "");
  const { statusPagePublic, statusPageModels } = await readSettings(prisma, { catalogSyncCron: env.CATALOG_SYNC_CRON });
  if (!statusPagePublic || !REGION.test(region) || model.length > 200) return badgeResponse(null, request);
  return badgeResponse(await cellBadge(prisma, safeDecode(model), region, statusPageModels), request);
}
