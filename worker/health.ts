// The worker's HTTP health endpoint: /health (the process and its dependencies
// answer) and /ready (it is taking work: not starting, not shutting down).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type HealthState = { ready: () => boolean; check: () => Promise<Record<string, "up" | "down">>; stats: () => Record<string, unknown> };

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
    send(404, { error: "not_found" });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
