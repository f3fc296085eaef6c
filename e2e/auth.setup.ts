import { expect, test as setup } from "@playwright/test";
import { E2E_ADMIN, E2E_VIEWER } from "./support/database";
import { STORAGE } from "./support/session";

for (const [role, user] of [
  ["admin", E2E_ADMIN],
  ["viewer", E2E_VIEWER],
] as const) {
  setup(`sign in as the ${role}`, async ({ page, baseURL }) => {
    const res = await page.request.post("/api/auth/sign-in/email", { data: user, headers: { origin: baseURL! } });
    expect(res.status()).toBe(200);
    await page.context().storageState({ path: STORAGE[role] });
  });
}
