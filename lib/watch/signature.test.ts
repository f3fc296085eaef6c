import { describe, expect, it } from "vitest";
import { signatureHeader, verifySignature } from "./signature";

describe("webhook signatures", () => {
  const body = JSON.stringify({ id: "e1", kind: "incident.opened" });

  it("verifies with the secret and body it was made with", () => {
    expect(verifySignature("s3cret", body, signatureHeader("s3cret", body))).toBe(true);
  });

  it("refuses another secret, a changed body, an old timestamp, a malformed header", () => {
    const header = signatureHeader("s3cret", body);
    expect(verifySignature("other", body, header)).toBe(false);
    expect(verifySignature("s3cret", body.replace("opened", "resolved"), header)).toBe(false);
    const old = signatureHeader("s3cret", body, Math.floor(Date.now() / 1000) - 3600);
    expect(verifySignature("s3cret", body, old)).toBe(false);
    expect(verifySignature("s3cret", body, "v1=abc")).toBe(false);
  });
});
