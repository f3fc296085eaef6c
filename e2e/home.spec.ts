import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./support/database";

test("an anonymous visitor is sent to sign in; a wrong password is refused", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#sign-in-error")).toHaveText("Wrong email or password.");
});

test("signing in lands on the matrix: every enabled model and Region, live", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("signed-in-as")).toContainText(E2E_ADMIN.email);
  await expect(page.getByRole("heading", { level: 1, name: "Certification matrix" })).toBeVisible();
  // Seeded by db:prepare from the bundled AWS tables (the two entries without a model id are not certifiable).
  await expect(page.getByText("118 of 118 models × 33 of 33 Regions")).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Europe" })).toBeVisible();
  await expect(page.getByTestId("live-status")).toHaveText(/^(Live|Up to date)/);
  // The status badge is a client component fed by TanStack Query from /api/health.
  await expect(page.getByRole("status").filter({ hasText: "operational" })).toHaveText("All systems operational");
  // The legacy panel: the 20 seeded first-release rows wait for the data migration.
  await page.getByRole("link", { name: "Settings" }).click();
  const legacy = page.getByTestId("legacy-status");
  await expect(legacy.locator("div", { hasText: "Waiting" }).locator("dd")).toHaveText("20");
  await expect(legacy.locator("div", { hasText: "Migrated" }).locator("dd")).toHaveText("0");
});

test("GET /api/health reports both dependencies up, with security headers", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-security-policy"]).toContain("default-src 'self'");
  expect(res.headers()["x-frame-options"]).toBe("DENY");
  expect(await res.json()).toMatchObject({ status: "ok", down: [], checks: { postgres: { status: "up" }, redis: { status: "up" } } });
});

test("pages run scripts under a per-request nonce, with no 'unsafe-inline' for scripts", async ({ request }) => {
  const first = (await request.get("/sign-in")).headers()["content-security-policy"]!;
  const second = (await request.get("/sign-in")).headers()["content-security-policy"]!;
  const scripts = (csp: string) => csp.split(";").find((d) => d.trim().startsWith("script-src"))!;
  expect(scripts(first)).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
  expect(scripts(first)).not.toContain("'unsafe-inline'");
  expect(scripts(second)).not.toBe(scripts(first));
  // The page's own scripts carry it (else the sign-in form would not work: home.spec's other tests use it).
  const html = await (await request.get("/sign-in")).text();
  expect(html).toMatch(/<script[^>]+nonce="[^"]+"/);
});

test("the OpenAPI document is served", async ({ request }) => {
  const res = await request.get("/api/v1/openapi.json");
  expect(res.status()).toBe(200);
  const doc = await res.json();
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths)).toContain("/api/v1/matrix");
});
