import { route } from "@/lib/http/route";
import { progressEventStream } from "@/lib/http/sse";

export const dynamic = "force-dynamic";

// GET /api/v1/matrix/events: Server-Sent Events of every finished pair of every
// job, and of jobs' status changes (a new job has queued cells, and has already
// settled its pairs that will not be tried), for a live matrix (viewer).
// Resumes with Last-Event-ID.
export const GET = route({ role: "viewer" }, async ({ request }) => progressEventStream(request, { keep: (e) => e.type === "pair" || e.type === "job" }));
