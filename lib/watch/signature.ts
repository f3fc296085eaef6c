// Webhook signatures: HMAC-SHA256 over "<timestamp>.<body>" with the
// subscription's secret, sent as `X-Certify-Signature: t=<unix seconds>,v1=<hex>`.
// A receiver recomputes it over the raw body and refuses old timestamps
// (docs/monitoring.md has the snippet). No server-only: receivers' tests use it.
import { createHmac, timingSafeEqual } from "node:crypto";

export function signatureHeader(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

// True when the header was made with this secret over this body, less than
// `toleranceSeconds` ago.
export function verifySignature(secret: string, body: string, header: string, toleranceSeconds = 300, now = Date.now()): boolean {
  const parts = new Map(header.split(",").map((p) => p.split("=", 2) as [string, string]));
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > toleranceSeconds || !/^[0-9a-f]{64}$/.test(v1)) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, "hex"));
}
