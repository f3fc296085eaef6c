import { defaultKeyHasher } from "@better-auth/api-key";
import { describe, expect, it } from "vitest";
import { hashApiToken } from "./api-token";

describe("hashApiToken", () => {
  it("stores what Better Auth's api-key plugin stores, so its tokens resolve here", async () => {
    for (const token of ["brc_abc", "brc_" + "x".repeat(64), "brc_ünïcødé"]) expect(hashApiToken(token)).toBe(await defaultKeyHasher(token));
  });
});
