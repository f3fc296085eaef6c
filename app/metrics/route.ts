import { mayReadMetrics, webMetrics } from "@/lib/metrics/web-metrics";

export const dynamic = "force-dynamic";

// GET /metrics: Prometheus text (docs/monitoring.md). With METRICS_TOKEN set,
// only with "Authorization: Bearer <token>"; without, only from this machine.
export async function GET(request: Request) {
  if (!mayReadMetrics(request.headers)) return new Response("Forbidden\n", { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  const { body, contentType } = await webMetrics();
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
}
