// The web server's own edge (server/main.ts), on the production build, each
// check against web servers this spec starts on a database of its own (its
// sign-in limits must not lock out the other specs): the client address comes
// from the socket unless TRUSTED_PROXIES says otherwise; paths Next cannot
// decode and oversized bodies are refused with the security headers; SIGTERM
// ends open SSE streams with a "reconnect" and the process exits in its grace period.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Agent, request as httpRequest } from "node:http";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { createDatabase, databaseUrl, dropDatabase } from "../tests/setup/test-database";

const name = `${process.env.E2E_DATABASE_NAME}_edge`;
const ADMIN = { email: "edge-admin@example.com", password: "edge-admin-password" };
const env = {
  ...process.env,
  DATABASE_URL: databaseUrl(name),
  NODE_ENV: "production" as const,
  AUTH_SECRET: randomBytes(32).toString("hex"),
  QUEUE_PREFIX: `{edge-${randomBytes(3).toString("hex")}}`,
  WEB_HOST: "127.0.0.1",
};

type Server = { base: string; child: ChildProcess; exited: Promise<number | null> };
const servers: Server[] = [];

async function startServer(port: number, extra: Record<string, string> = {}): Promise<Server> {
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { env: { ...env, PORT: String(port), APP_URL: base, ...extra }, stdio: "ignore" });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const server = { base, child, exited };
  servers.push(server);
  await expect
    .poll(
      () =>
        fetch(`${base}/api/health`).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 60_000 },
    )
    .toBe(200);
  return server;
}

const signIn = (base: string, password: string, forwardedFor?: string) =>
  fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base, ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
    body: JSON.stringify({ email: ADMIN.email, password }),
  });

// The session cookie of an admin signed in from `client` (through the trusted proxy).
async function adminCookie(base: string, client: string): Promise<string> {
  const signedIn = await signIn(base, ADMIN.password, client);
  expect(signedIn.status).toBe(200);
  return signedIn.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

const sessionIps = async () => {
  const client = new pg.Client({ connectionString: databaseUrl(name) });
  await client.connect();
  try {
    return (await client.query<{ ip_address: string }>("SELECT ip_address FROM sessions ORDER BY created_at")).rows.map((r) => r.ip_address);
  } finally {
    await client.end();
  }
};

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await dropDatabase(name);
  await createDatabase(name);
  for (const args of [
    ["run", "--silent", "db:prepare"],
    ["run", "--silent", "auth:user", "--", "--email", ADMIN.email, "--password", ADMIN.password, "--role", "admin"],
  ])
    expect(spawnSync("npm", args, { env, stdio: "ignore" }).status).toBe(0);
});

test.afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill("SIGKILL");
  await dropDatabase(name).catch(() => {});
});

test("no trusted proxy: X-Forwarded-For is ignored for sessions and the sign-in limit; bad paths and big bodies are refused at the edge", async () => {
  const { base } = await startServer(3301);
  // "From where" is the socket's address, whatever the client claims.
  expect((await signIn(base, ADMIN.password, "8.8.8.8")).status).toBe(200);
  expect(await sessionIps()).toEqual(["127.0.0.1"]);

  // Rotating X-Forwarded-For does not get around the limit of five attempts a
  // minute from one address (the sign-in above was the first): four wrong
  // passwords, then 429 — even for the right one.
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) statuses.push((await signIn(base, "wrong-password-123", `10.0.${i}.1`)).status);
  expect(statuses).toEqual([401, 401, 401, 401, 429, 429, 429]);
  expect((await signIn(base, ADMIN.password, "10.9.9.9")).status).toBe(429);

  // Paths Next cannot decode: a 400 with the usual security headers, not a bare 500.
  for (const bad of ["/api/v1/jobs/%C0%AF", "/api/v1/jobs/%E0%A4%A", "/jobs/%FF", "/api/v1/jobs/a%00b"]) {
    const res = await fetch(`${base}${bad}`);
    expect(res.status, bad).toBe(400);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(await res.json()).toMatchObject({ error: "validation", fields: [{ field: "(path)" }] });
  }

  // A body declared larger than the limit is refused before it is read: the
  // answer comes while the client has sent only its headers.
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(`${base}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", "content-length": String(20 * 1024 * 1024) } }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.write("{");
  });
  expect(answer.status).toBe(413);
  expect(answer.body.length).toBeLessThan(500);
});

test("behind a trusted proxy: each forwarded client has its own limit, and is recorded as itself", async () => {
  const { base } = await startServer(3302, { TRUSTED_PROXIES: "127.0.0.1" });
  for (let i = 0; i < 5; i++) expect((await signIn(base, "wrong-password-123", "203.0.113.1")).status).toBe(401);
  expect((await signIn(base, ADMIN.password, "203.0.113.1")).status).toBe(429);
  // Another client behind the same proxy is not locked out.
  expect((await signIn(base, ADMIN.password, "203.0.113.2")).status).toBe(200);
  expect((await sessionIps()).at(-1)).toBe("203.0.113.2");
});

test("SIGTERM with an event stream open: the stream is told to reconnect and ends, and the process exits within its grace period", async () => {
  const server = await startServer(3303, { TRUSTED_PROXIES: "127.0.0.1", WEB_SHUTDOWN_GRACE_MS: "5000" });
  const cookie = await adminCookie(server.base, "203.0.113.3");
  const stream = await fetch(`${server.base}/api/v1/matrix/events`, { headers: { cookie, "x-forwarded-for": "203.0.113.3" } });
  expect(stream.status).toBe(200);
  const reader = stream.body!.getReader();
  let text = "";
  // The stream is open once its first line arrived.
  while (!text.includes("retry:")) text += new TextDecoder().decode((await reader.read()).value);

  const stoppedAt = Date.now();
  server.child.kill("SIGTERM");
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  expect(text).toContain("event: reconnect");
  expect(await server.exited).toBe(0);
  // Well inside the 5 s grace period: the open stream did not hold the process.
  expect(Date.now() - stoppedAt).toBeLessThan(5_000);
});

test("SIGTERM with clients that reconnect at once on keep-alive sockets (as EventSource does): they are refused 503, and the process exits in under 3 s", async () => {
  const server = await startServer(3304, { TRUSTED_PROXIES: "127.0.0.1", WEB_SHUTDOWN_GRACE_MS: "10000" });
  const cookie = await adminCookie(server.base, "203.0.113.4");
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const statuses: number[] = [];
  let opened = 0;
  // One client: open the stream; when it ends, open it again at once, until refused.
  const client = async () => {
    for (let round = 0; round < 100; round++) {
      const status = await new Promise<number>((resolve) => {
        const req = httpRequest(`${server.base}/api/v1/matrix/events`, { agent, headers: { cookie, "x-forwarded-for": "203.0.113.4" } }, (res) => {
          if (res.statusCode === 200) opened++;
          res.on("data", () => {});
          res.on("end", () => resolve(res.statusCode ?? 0));
          res.on("error", () => resolve(0));
        });
        req.on("error", () => resolve(-1));
        req.end();
      });
      statuses.push(status);
      if (status !== 200) return;
    }
  };
  const clients = Array.from({ length: 5 }, () => client());
  // Every client has its stream open.
  await expect.poll(() => opened, { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
  const stoppedAt = Date.now();
  server.child.kill("SIGTERM");
  expect(await server.exited).toBe(0);
  expect(Date.now() - stoppedAt).toBeLessThan(3_000);
  await Promise.all(clients);
  agent.destroy();
  // Each client was told to go elsewhere, or found the server gone; none looped for long.
  expect(statuses.length).toBeLessThan(5 * 5);
  expect(statuses.filter((s) => s !== 200).length).toBe(5);
});
