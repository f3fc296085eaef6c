// What the web server refuses before Next sees a request, each with a short
// JSON problem and the usual security headers:
//  - a path that is not valid percent-encoded UTF-8, or holds a NUL byte (400):
//    Next would answer such a path with a bare 500;
//  - a body declared larger than MAX_BODY_BYTES (413), or an API body of unknown
//    length (411): refused before a byte of it is read.
import type { IncomingMessage, ServerResponse } from "node:http";
import { SECURITY_HEADERS } from "@/lib/http/security-headers";

// Sign-in and the other auth endpoints take a few small fields.
const AUTH_BODY_BYTES = 16 * 1024;

export type Refusal = { status: number; error: string; message: string; field?: string };

export function refuse(request: Pick<IncomingMessage, "url" | "method" | "headers">, maxBodyBytes: number): Refusal | null {
  const target = request.url ?? "/";
  const path = target.split("?")[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return { status: 400, error: "validation", message: "The path is not valid percent-encoded UTF-8.", field: "(path)" };
  }
  if (decoded.includes("\0")) return { status: 400, error: "validation", message: "The path holds a NUL byte.", field: "(path)" };

  const method = request.method ?? "GET";
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return null;
  const limit = path.startsWith("/api/auth/") ? Math.min(AUTH_BODY_BYTES, maxBodyBytes) : maxBodyBytes;
  const declared = request.headers["content-length"];
  if (declared !== undefined) {
    if (!/^\d+$/.test(declared)) return { status: 400, error: "validation", message: "Content-Length is not a number.", field: "(headers).content-length" };
    if (Number(declared) > limit) return { status: 413, error: "too_large", message: `The body is larger than ${limit} bytes.`, field: "(body)" };
    return null;
  }
  if (request.headers["transfer-encoding"] && path.startsWith("/api/"))
    return { status: 411, error: "length_required", message: "Send the body with a Content-Length header.", field: "(headers).content-length" };
  return null;
}

export function sendRefusal(response: ServerResponse, refusal: Refusal, headers: Record<string, string> = {}) {
  const body = JSON.stringify({ error: refusal.error, message: refusal.message, ...(refusal.field ? { fields: [{ field: refusal.field, reason: refusal.message }] } : {}) });
  for (const { key, value } of SECURITY_HEADERS) response.setHeader(key, value);
  response.setHeader("Content-Type", "application/json");
  response.setHeader("Cache-Control", "no-store");
  response.setHeader("Content-Length", Buffer.byteLength(body));
  for (const [key, value] of Object.entries(headers)) response.setHeader(key, value);
  // The body was not read: the connection cannot carry another request.
  if (refusal.status === 413 || refusal.status === 411) response.setHeader("Connection", "close");
  response.statusCode = refusal.status;
  response.end(body);
}
