// Bodies compressed once and sent many times. The matrix and grid payloads
// (hundreds of kilobytes to megabytes of JSON) are built once per data version
// and read far more often: gzipping them on every response was most of a
// matrix request's CPU (8 of 13 ms per request at 150 models × 33 Regions).
//
// Next drops a route handler's Content-Encoding (it assumes a fetch decoded
// the body), so a precompressed body names its encoding in PRECOMPRESSED_HEADER
// and the web server's compression step (server/compression.ts) turns that
// into Content-Encoding instead of compressing again. That step announces
// itself on every request (SERVES_PRECOMPRESSED_HEADER, overwriting whatever a
// client sent): served any other way (a bare `next start`), a route sends the
// plain body rather than gzip bytes no header would name.
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import Negotiator from "negotiator";

export const PRECOMPRESSED_HEADER = "x-precompressed-encoding";
export const SERVES_PRECOMPRESSED_HEADER = "x-serves-precompressed";

const gzipAsync = promisify(gzip);
export const gzipText = (text: string): Promise<Buffer> => gzipAsync(text);

// Whether the client takes gzip (Accept-Encoding with its q-values; identity
// wins only when gzip is refused or absent).
const acceptsGzip = (headers: Headers): boolean => new Negotiator({ headers: { "accept-encoding": headers.get("accept-encoding") ?? undefined } }).encoding(["gzip", "identity"]) === "gzip";

// Whether a precompressed gzip body can be sent: the client takes gzip, and
// the web server in front passes such bodies on.
export const canSendPrecompressedGzip = (headers: Headers): boolean => headers.get(SERVES_PRECOMPRESSED_HEADER) === "gzip" && acceptsGzip(headers);

// A response whose body is already gzipped (Vary: the same URL answers
// clients that do not take gzip with the plain body).
export const gzippedResponse = (body: Buffer, headers: Record<string, string>): Response =>
  new Response(new Uint8Array(body), { headers: { ...headers, [PRECOMPRESSED_HEADER]: "gzip", Vary: "Accept-Encoding" } });
