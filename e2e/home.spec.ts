import { expect, test } from "@playwright/test";

test("the home page renders the catalog overview in a real browser", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Model certification by Region" })).toBeVisible();
  // Seeded by db:prepare from the bundled AWS tables.
  const models = page.locator("dt", { hasText: "Models" }).locator("xpath=following-sibling::dd");
  await expect(models).toHaveText("120");
  const regions = page.locator("dt", { hasText: /^Regions$/ }).locator("xpath=following-sibling::dd");
  await expect(regions).toHaveText("33");
  await expect(page.getByRole("heading", { name: "Europe" })).toBeVisible();
  // The legacy panel: the 20 seeded first-release rows wait for the data migration.
  const legacy = page.getByTestId("legacy-status");
  await expect(legacy.locator("div", { hasText: "Waiting" }).locator("dd")).toHaveText("20");
  await expect(legacy.locator("div", { hasText: "Migrated" }).locator("dd")).toHaveText("0");
  // The status badge is a client component fed by TanStack Query from /api/health.
  await expect(page.getByRole("status")).toHaveText("All systems operational");
});

test("GET /api/health reports both dependencies up", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", down: [], checks: { postgres: { status: "up" }, redis: { status: "up" } } });
});
