import { describe, expect, it } from "vitest";
import { age, renderBadge, safeDecode } from "./badges";

describe("badges", () => {
  it("say a verdict's age in minutes, hours or days", () => {
    const now = Date.parse("2026-11-30T12:00:00Z");
    expect(age(new Date(now - 5 * 60_000), now)).toBe("5m");
    expect(age(new Date(now - 3 * 3600_000), now)).toBe("3h");
    expect(age(new Date(now - 3 * 86400_000), now)).toBe("3d");
  });

  it("escape what they show", () => {
    const svg = renderBadge({ label: "bedrock <x>", message: `a&b "c"`, color: "#2e7d32" });
    expect(svg).toContain("bedrock &lt;x&gt;: a&amp;b &quot;c&quot;");
    expect(svg).not.toContain("<x>");
  });

  it("decode a path segment once, and keep a malformed one as it is", () => {
    expect(safeDecode("anthropic.claude%3Av1")).toBe("anthropic.claude:v1");
    expect(safeDecode("%E0%A4%A")).toBe("%E0%A4%A");
  });
});
