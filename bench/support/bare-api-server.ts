// For bench:api-floor only: three of the API's route handlers — the same
// modules, with their authentication, validation and services — called
// straight from node:http, without Next's request pipeline in front. Not a way
// to serve the product: it exists to measure what that pipeline costs.
import { createServer } from "node:http";
import * as cell from "@/app/api/v1/certifications/[modelId]/[region]/route";
import * as certifications from "@/app/api/v1/certifications/route";
import * as regions from "@/app/api/v1/regions/route";

type Handler = (request: Request, context: { params?: Promise<Record<string, string>> }) => Promise<Response>;

function match(path: string): [Handler, Record<string, string>] | null {
  if (path === "/api/v1/regions") return [regions.GET as Handler, {}];
  if (path === "/api/v1/certifications") return [certifications.GET as Handler, {}];
  const m = /^\/api\/v1\/certifications\/([^/]+)\/([^/]+)$/.exec(path);
  return m ? [cell.GET as Handler, { modelId: decodeURIComponent(m[1]!), region: decodeURIComponent(m[2]!) }] : null;
}

createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
  const hit = match(url.pathname);
  if (!hit) return res.writeHead(404).end();
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  headers.set("x-client-address", req.socket.remoteAddress ?? "");
  const response = await hit[0](new Request(url, { method: req.method, headers }), { params: Promise.resolve(hit[1]) });
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers)).end(body);
}).listen(Number(process.env.PORT), "127.0.0.1");
