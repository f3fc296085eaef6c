import { gridResponse } from "@/lib/certification/matrix";
import { prisma } from "@/lib/db/client";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/v1/matrix/grid: every enabled model × every enabled Region with the
// cells there are and how each model is offered in each Region (viewer). What
// the matrix page draws; it filters in the browser.
export const GET = route({ role: "viewer" }, async ({ request }) => gridResponse(prisma, request));
