import { NextResponse } from "next/server";
import { runJobAction } from "@/lib/certification/jobs";
import { route } from "@/lib/http/route";
import { appJobDeps } from "@/lib/queue/app-queue";

export const dynamic = "force-dynamic";

// POST /api/v1/jobs/:id/{pause|resume|cancel|retry-failed} (admin). 404 for
// any other action, 409 when the job's state does not allow it; each service
// audits its own change.
export const POST = route({ role: "admin" }, async ({ actor, params }) => {
  const { job, retried } = await runJobAction(appJobDeps(), actor, params.id!, params.action!);
  return NextResponse.json({ ...job, ...(retried !== null ? { retried } : {}) });
});
