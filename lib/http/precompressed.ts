// Bodies compressed once and sent many times. The matrix and grid payloads
// (hundreds of kilobytes to megabytes of JSON) are built once per data version
// and read far more often: gzipping them on every response was most of a
// matrix request's CPU (8 of 13 ms per request at 150 models × 33 Regions).
//
// Next drops a route handler's Content-Encoding (it assumes a fetch decoded
// the body), so a precompressed body names its encoding in PRECOMPRESSED_HEADER
// and the web server's compression step (server/compression.ts) turns that
// into Content-Encoding instead of compressing again.
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import Negotiator from "negotiator";

export const PRECOMPRESSED_HEADER = "x-precompressed-encoding";

const gzipAsync = promisify(gzip);
export const gzipText = (text: string): Promise<Buffer> => gzipAsync(text);

// Whether the client takes gzip (Accept-Encoding with its q-values; identity
// wins only when gzip is refused or absent).
export const acceptsGzip = (headers: Headers): boolean => new Negotiator({ headers: { "accept-encoding": headers.get("accept-encoding") ?? undefined } }).encoding(["gzip", "identity"]) === "gzip";

// A response whose body is already gzipped (Vary: the same URL answers
// clients that do not take gzip with the plain body).
export const gzippedResponse = (body: Buffer, headers: Record<string, string>): Response =>
  new Response(new Uint8Array(body), { headers: { ...headers, [PRECOMPRESSED_HEADER]: "gzip", Vary: "Accept-Encoding" } });
