// Before a process settles in: can it reach PostgreSQL and Redis at all? If
// not, one line naming the variable and what to do, and the process ends,
// instead of a minute of retries and raw ECONNREFUSED traces that never say
// which setting is wrong (issue 29). Used by `npm run dev`, the worker and
// the web server at start; a later outage is retried, not fatal.
import { Socket } from "node:net";

async function reachable(url: string, defaultPort: number, timeoutMs: number): Promise<string | null> {
  let host: string;
  let port: number;
  try {
    const u = new URL(url);
    host = u.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1";
    port = Number(u.port || defaultPort);
  } catch {
    return "not a URL";
  }
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (why: string | null) => {
      socket.destroy();
      resolve(why);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer in ${timeoutMs} ms`));
    socket.once("error", (err: NodeJS.ErrnoException) => done(err.code === "ECONNREFUSED" ? "connection refused" : err.code === "ENOTFOUND" ? "unknown host" : (err.code ?? err.message)));
    socket.connect(port, host, () => done(null));
  });
}

export async function preflight(services: { databaseUrl?: string; redisUrl?: string }, timeoutMs = 3_000): Promise<string | null> {
  if (services.databaseUrl) {
    const why = await reachable(services.databaseUrl, 5432, timeoutMs);
    if (why) return `PostgreSQL is not reachable at DATABASE_URL=${redact(services.databaseUrl)} (${why}): start PostgreSQL or set DATABASE_URL (README: Requirements).`;
  }
  if (services.redisUrl) {
    const why = await reachable(services.redisUrl, 6379, timeoutMs);
    if (why) return `Redis is not reachable at REDIS_URL=${redact(services.redisUrl)} (${why}): start Redis or set REDIS_URL (README: Requirements).`;
  }
  return null;
}

// A URL without its password.
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}

// Checks, and ends the process with the line when something is out of reach.
export async function preflightOrExit(services: { databaseUrl?: string; redisUrl?: string }): Promise<void> {
  const problem = await preflight(services);
  if (!problem) return;
  console.error(problem);
  process.exit(1);
}
