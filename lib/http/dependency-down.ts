// Whether an error means a service the app depends on (PostgreSQL, Redis) is
// out of reach right now: the answer is then 503 with Retry-After (retry in
// a moment), never a 500 (our fault) nor a 401 (a session that could not be
// looked up is not "signed out": issue 29). Pure; dependency-down.test.ts.

export class DependencyDown extends Error {
  constructor(
    readonly dependency: string,
    cause?: unknown,
  ) {
    super(`${dependency} is out of reach`, { cause });
    this.name = "DependencyDown";
  }
}

// Prisma's codes for a database it cannot reach or that timed out its pool.
const PRISMA_DOWN = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028"]);
// PostgreSQL's SQLSTATEs for a server going away or refusing connections.
const PG_DOWN = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006"]);
const NODE_DOWN = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EPIPE"]);
const MESSAGE_DOWN =
  /can't reach database server|connection terminated|connection is closed|stream isn't writeable|max retries per request|server closed the connection|timeout exceeded when trying to connect|the database system is (shutting down|starting up)/i;

type Shape = { name?: string; code?: unknown; message?: string; cause?: unknown; errorCode?: unknown; originalCode?: unknown };

export function isDependencyDown(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  if (error instanceof DependencyDown) return true;
  const e = error as Shape;
  const code = String(e.code ?? e.errorCode ?? "");
  if (PRISMA_DOWN.has(code) || PG_DOWN.has(code) || PG_DOWN.has(String(e.originalCode ?? "")) || NODE_DOWN.has(code)) return true;
  if (e.name === "PrismaClientInitializationError" || e.name === "MaxRetriesPerRequestError") return true;
  if (typeof e.message === "string" && MESSAGE_DOWN.test(e.message)) return true;
  return isDependencyDown(e.cause, depth + 1);
}
