// Response compression for the whole web server (next.config sets Next's own
// off): the `compression` middleware, as Next uses it, plus one thing Next's
// cannot do — pass bodies a route handler compressed once and cached
// (lib/http/precompressed.ts): their encoding arrives in PRECOMPRESSED_HEADER
// and becomes Content-Encoding just before the headers are sent. Event
// streams say `Cache-Control: no-transform` and are never buffered.
import type { IncomingMessage, ServerResponse } from "node:http";
import compression from "compression";
import { PRECOMPRESSED_HEADER, SERVES_PRECOMPRESSED_HEADER } from "@/lib/http/precompressed";

// True (and the header renamed) when the body is already encoded.
function passPrecompressed(response: ServerResponse): boolean {
  const encoding = response.getHeader(PRECOMPRESSED_HEADER);
  if (encoding === undefined) return false;
  response.removeHeader(PRECOMPRESSED_HEADER);
  response.setHeader("Content-Encoding", String(encoding));
  return true;
}

// compression's filter runs when the headers are about to be sent, before it
// looks at Content-Encoding: the one moment to rename the header.
const middleware = compression({
  filter: (request, response) => !passPrecompressed(response as unknown as ServerResponse) && compression.filter(request, response),
});

export function withCompression(request: IncomingMessage, response: ServerResponse, next: () => void) {
  // Routes may send precompressed gzip: this step passes it on (never what a client claims).
  request.headers[SERVES_PRECOMPRESSED_HEADER] = "gzip";
  middleware(request as never, response as never, next);
}
