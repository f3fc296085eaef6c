import { prisma } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { progressEventStream } from "@/lib/http/sse";
import { JOB_COUNTERS } from "@/lib/certification/jobs";

export const dynamic = "force-dynamic";

// GET /api/v1/jobs/:id/events: Server-Sent Events of one job (viewer): first a
// `snapshot` of its counters, then `pair` (a pair finished, with the job's new
// counters) and `job` (its status changed) events. Resumes with Last-Event-ID.
export const GET = route({ role: "viewer" }, async ({ params, request }) => {
  const snapshot = () => prisma.certificationJob.findUnique({ where: { id: params.id }, select: JOB_COUNTERS });
  if (!(await snapshot())) throw notFound("Certification job");
  return progressEventStream(request, {
    keep: (e) => e.jobId === params.id,
    // The counters as of now; the stream then carries every later change.
    first: async () => ({ event: "snapshot", data: await snapshot() }),
  });
});
