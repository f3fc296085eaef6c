import { NextResponse } from "next/server";
import { cancelJob, pauseJob, resumeJob, retryFailed } from "@/lib/certification/jobs";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { appJobDeps } from "@/lib/queue/app-queue";

export const dynamic = "force-dynamic";

const ACTIONS = { pause: pauseJob, resume: resumeJob, cancel: cancelJob, "retry-failed": retryFailed } as const;

// POST /api/v1/jobs/:id/{pause|resume|cancel|retry-failed} (admin). 409 when
// the job's state does not allow it.
export const POST = route({ role: "admin", audit: "job.:action" }, async ({ actor, params }) => {
  const action = ACTIONS[params.action as keyof typeof ACTIONS];
  if (!action) throw notFound("Job action");
  const deps = appJobDeps();
  const result = await action(deps, { id: actor.email }, params.id!);
  const job = await deps.db.certificationJob.findUniqueOrThrow({ where: { id: params.id }, select: { id: true, status: true, processedModels: true, totalModels: true } });
  return NextResponse.json({ ...job, ...(result ?? {}) });
});
