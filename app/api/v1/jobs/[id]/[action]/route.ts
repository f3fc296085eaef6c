import { NextResponse } from "next/server";
import { cancelJob, pauseJob, resumeJob, retryFailed } from "@/lib/certification/jobs";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { appJobDeps } from "@/lib/queue/app-queue";

export const dynamic = "force-dynamic";

// A Map, not an object: a name like "toString" or "__proto__" must not find
// anything but these four.
const ACTIONS = new Map<string, typeof pauseJob | typeof retryFailed>([
  ["pause", pauseJob],
  ["resume", resumeJob],
  ["cancel", cancelJob],
  ["retry-failed", retryFailed],
]);

// POST /api/v1/jobs/:id/{pause|resume|cancel|retry-failed} (admin). 409 when
// the job's state does not allow it; each service audits its own change.
export const POST = route({ role: "admin" }, async ({ actor, params }) => {
  const action = ACTIONS.get(params.action!);
  if (!action) throw notFound("Job action");
  const deps = appJobDeps();
  const result = await action(deps, actor, params.id!);
  const job = await deps.db.certificationJob.findUniqueOrThrow({ where: { id: params.id }, select: { id: true, status: true, processedModels: true, totalModels: true } });
  return NextResponse.json({ ...job, ...(result ?? {}) });
});
