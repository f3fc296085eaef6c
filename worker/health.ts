// The worker's HTTP health endpoint: /health (the process and its dependencies
// answer), /ready (it is taking work: not starting, not shutting down) and
// /metrics (Prometheus, docs/monitoring.md).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type HealthState = {
  ready: () => boolean;
  check: () => Promise<Record<string, "up" | "down">>;
  stats: () => Record<string, unknown>;
  // Prometheus text (lib/metrics): the server binds to loopback unless told otherwise.
  metrics?: () => Promise<{ body: string; contentType: string }>;
};

// Binds to `host` (WORKER_HEALTH_HOST: loopback unless a container asks for more).
export async function startHealthServer(port: number, state: HealthState, host = "127.0.0.1"): Promise<{ server: Server; port: number }> {
  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(body));
    };
    if (req.url === "/health") {
      const checks = await state.check();
      const down = Object.entries(checks)
        .filter(([, v]) => v === "down")
        .map(([k]) => k);
      return send(down.length ? 503 : 200, { status: down.length ? "degraded" : "ok", down, checks, ...state.stats() });
    }
    if (req.url === "/ready") return send(state.ready() ? 200 : 503, { ready: state.ready() });
    if (req.url === "/metrics" && state.metrics) {
      const { body, contentType } = await state.metrics();
      res.writeHead(200, { "content-type": contentType, "cache-control": "no-store" });
      return res.end(body);
    }
    send(404, { error: "not_found" });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
