import { describe, expect, it } from "vitest";
import { unsafeText } from "./input-guard";

describe("unsafeText", () => {
  it("names the field holding a NUL byte, invalid UTF-8 or a lone surrogate", () => {
    expect(unsafeText({ regions: ["us-east-1", "eu\u0000west-1"] }, "(body)")).toEqual({ field: "regions.1", reason: expect.stringContaining("NUL") });
    expect(unsafeText({ config: { prompt: "caf\uFFFD" } }, "(body)")?.field).toBe("config.prompt");
    expect(unsafeText({ name: "\uD800x" }, "(body)")?.field).toBe("name");
    expect(unsafeText("a\u0000", "(path)")?.field).toBe("(path)");
    expect(unsafeText({ "bad\u0000key": 1 }, "(query)")?.field).toBe("(name)");
  });

  it("lets ordinary text through, emoji (surrogate pairs) included", () => {
    expect(unsafeText({ regions: ["us-east-1"], note: "Grüße 👋", n: 3, nested: [{ ok: true }] }, "(body)")).toBeNull();
  });
});
