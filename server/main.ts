// The web server: Next's request handler behind a thin edge of our own, in one
// process (`npm start`; `npm run dev` runs it in development mode).
//  - the client's address comes from the socket, or from X-Forwarded-For only
//    through the proxies TRUSTED_PROXIES names (server/client-address.ts); it is
//    handed on as X-Client-Address, which every rate limit, session and audit
//    entry reads, and whatever a client sent in those headers is overwritten;
//  - paths Next cannot decode and oversized bodies are refused (server/edge.ts);
//  - responses are compressed here, not by Next, so that a body compressed
//    once and cached (the matrix) is sent as it is (server/compression.ts);
//  - SIGTERM: stop accepting, tell open SSE streams to reconnect elsewhere and
//    end them, answer new requests on open sockets 503 with Connection: close,
//    close idle keep-alive sockets, let open requests finish, exit within
//    WEB_SHUTDOWN_GRACE_MS (in practice at once).
import { createServer } from "node:http";
import next from "next";
import { env } from "@/lib/env";
import { preflightOrExit } from "@/lib/preflight";
import { beginShutdown } from "@/lib/http/shutdown";
import { createLogger } from "@/lib/logger";
import { clientAddress, parseTrustedProxies } from "./client-address";
import { withCompression } from "./compression";
import { refuse, sendRefusal } from "./edge";

const log = createLogger("web");
const dev = env.NODE_ENV !== "production";
const proxies = parseTrustedProxies(env.TRUSTED_PROXIES);

// PostgreSQL and Redis reachable at all, or one line naming the setting and an exit.
await preflightOrExit({ databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_CLUSTER ? undefined : env.REDIS_URL });

const app = next({ dev, hostname: env.WEB_HOST, port: env.PORT, turbopack: dev });
const handle = app.getRequestHandler();
await app.prepare();

let stopping = false;
const server = createServer((request, response) => {
  // Stopping: a new request (an EventSource reconnecting on its keep-alive
  // socket, say) is told to go elsewhere and its socket closed, or clients
  // that reconnect at once would keep this process up until the grace ends.
  if (stopping) {
    response.shouldKeepAlive = false;
    return sendRefusal(response, { status: 503, error: "shutting_down", message: "This server is stopping: retry (another one answers)." }, { "Retry-After": "1", Connection: "close" });
  }
  const refusal = refuse(request, env.MAX_BODY_BYTES);
  if (refusal) return sendRefusal(response, refusal);
  const client = clientAddress(request.socket.remoteAddress, request.headers["x-forwarded-for"], proxies);
  request.headers["x-client-address"] = client;
  request.headers["x-forwarded-for"] = client;
  delete request.headers["x-real-ip"];
  withCompression(request, response, () =>
    handle(request, response).catch((err: unknown) => {
      log.error({ err: (err as Error)?.stack ?? String(err), url: request.url }, "unhandled error serving a request");
      if (!response.headersSent) sendRefusal(response, { status: 500, error: "internal", message: "Something went wrong on our side. It has been logged." });
    }),
  );
});
// (Next attaches its own upgrade handler, for development's fast refresh, on the first request.)

server.once("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EADDRINUSE") {
    console.error(`Port ${env.PORT} is in use: is the app already running (another \`npm run dev\` or \`npm start\`)? Set PORT to use another.`);
    process.exit(1);
  }
  throw err;
});
server.listen(env.PORT, env.WEB_HOST, () => {
  log.info({ url: `http://${env.WEB_HOST === "0.0.0.0" ? "localhost" : env.WEB_HOST}:${env.PORT}`, trustedProxies: env.TRUSTED_PROXIES ?? "none", dev }, "web server listening");
});

function stop(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "shutting down: ending event streams, finishing open requests");
  beginShutdown();
  // Sockets idle now, and each one as soon as its response ends, are closed.
  server.on("request", (_request, response) => response.once("finish", () => server.closeIdleConnections()));
  server.close(() => {
    log.info("stopped");
    process.exit(0);
  });
  server.closeIdleConnections();
  // Past the grace period, whatever is still open is cut.
  setTimeout(() => {
    log.warn("grace period over: closing the remaining connections");
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 1_000).unref();
  }, env.WEB_SHUTDOWN_GRACE_MS).unref();
}
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
