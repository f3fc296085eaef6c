// The web server's compression step on a real HTTP server on loopback.
import { createServer, get, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRECOMPRESSED_HEADER, SERVES_PRECOMPRESSED_HEADER } from "@/lib/http/precompressed";
import { withCompression } from "./compression";

const big = JSON.stringify({ cells: Array.from({ length: 2000 }, (_, i) => [i, i % 33, "COMPLETED", true, 91.5]) });
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) =>
    withCompression(req, res, () => {
      if (req.url === "/announced") {
        res.end(String(req.headers[SERVES_PRECOMPRESSED_HEADER]));
      } else if (req.url === "/precompressed") {
        res.setHeader("Content-Type", "application/json");
        res.setHeader(PRECOMPRESSED_HEADER, "gzip");
        res.end(gzipSync(big));
      } else if (req.url === "/stream") {
        res.setHeader("Content-Type", "text/event-stream");
        res.setHeader("Cache-Control", "no-cache, no-transform");
        res.end(big);
      } else {
        res.setHeader("Content-Type", "application/json");
        res.end(big);
      }
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

// Raw bytes and headers (fetch would decode the body and hide what was sent).
async function raw(path: string, acceptEncoding: string) {
  const res = await fetch(`${base}${path}`, { headers: { "accept-encoding": acceptEncoding } });
  return { encoding: res.headers.get("content-encoding"), marker: res.headers.get(PRECOMPRESSED_HEADER), body: res };
}

describe("withCompression", () => {
  it("compresses a JSON response for a client that takes gzip, and not for one that does not", async () => {
    const zipped = await raw("/plain", "gzip");
    expect(zipped.encoding).toBe("gzip");
    expect(await zipped.body.text()).toBe(big); // fetch decodes it
    const plain = await raw("/plain", "identity");
    expect(plain.encoding).toBeNull();
    expect(await plain.body.text()).toBe(big);
  });

  it("sends a precompressed body as it is, once encoded, with its encoding named and the marker gone", async () => {
    const { encoding, marker, body } = await raw("/precompressed", "gzip");
    expect(encoding).toBe("gzip");
    expect(marker).toBeNull();
    expect(await body.text()).toBe(big); // decoded once: it was not gzipped twice
    // And read without fetch's decoding, the bytes are one gzip layer over the JSON.
    const bytes = await new Promise<Buffer>((resolve, reject) => {
      get(`${base}/precompressed`, { headers: { "accept-encoding": "gzip" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve(Buffer.concat(chunks)));
      }).on("error", reject);
    });
    expect(gunzipSync(bytes).toString()).toBe(big);
  });

  it("tells routes it passes precompressed bodies on, whatever a client claims", async () => {
    const res = await fetch(`${base}/announced`, { headers: { [SERVES_PRECOMPRESSED_HEADER]: "no" } });
    expect(await res.text()).toBe("gzip");
  });

  it("leaves event streams (no-transform) alone", async () => {
    const { encoding, body } = await raw("/stream", "gzip");
    expect(encoding).toBeNull();
    expect(await body.text()).toBe(big);
  });
});
