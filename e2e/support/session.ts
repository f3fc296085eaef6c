// Signed-in browser states, made once per run by e2e/auth.setup.ts (sign-in is
// rate limited: five attempts a minute from one address).
import path from "node:path";

export const STORAGE = {
  admin: path.join("test-results", ".auth", "admin.json"),
  viewer: path.join("test-results", ".auth", "viewer.json"),
};
