// axe on every page: no serious or critical violation (WCAG 2 A and AA rules),
// in the light and the dark theme.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { fromTheApp } from "./support/console";
import { STORAGE } from "./support/session";

async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map(
      (v) =>
        `${what}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(" | ")}`,
    ),
  ).toEqual([]);
}

test("the sign-in page", async ({ page }) => {
  await page.goto("/sign-in");
  await expectAccessible(page, "/sign-in");
});

test.describe("signed in", () => {
  test.use({ storageState: STORAGE.admin });

  for (const theme of ["light", "dark"] as const) {
    test(`every console page, ${theme} theme`, async ({ page }) => {
      // Ten pages and two dialogs, each analysed by axe (the matrix alone is
      // over a thousand cells): more than the default 30 s on a busy machine.
      test.setTimeout(120_000);
      await page.emulateMedia({ colorScheme: theme });
      // A job, so that its page is checked too (cells no other spec looks at).
      const started = await page.request.post("/api/v1/jobs", { data: { type: "SINGLE_MODEL", modelIds: ["amazon.titan-embed-text-v2:0"], regions: ["eu-central-1"] }, headers: fromTheApp() });
      expect(started.ok()).toBe(true);
      const jobs = (await (await page.request.get("/api/v1/jobs?limit=1")).json()).jobs as { id: string }[];
      const models = (await (await page.request.get("/api/v1/models?q=claude-3-haiku")).json()).models as { id: string }[];
      const pages = ["/", "/jobs", "/jobs/new", `/jobs/${jobs[0]!.id}`, "/models", `/models/${models[0]!.id}`, "/regions", "/schedules", "/incidents", "/events", "/settings"];
      for (const path of pages) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        // Let client data land before judging.
        await expect(page.locator('[role="status"][aria-label^="Loading"]')).toHaveCount(0);
        await expectAccessible(page, `${path} (${theme})`);
      }
      // The dialogs too: a cell's detail, the start-job form.
      await page.goto("/?q=titan-embed-text-v2");
      await page.getByTestId("cell-amazon.titan-embed-text-v2:0-eu-central-1").click();
      await expect(page.getByTestId("cell-detail")).toBeVisible();
      await expectAccessible(page, `cell detail (${theme})`);
      await page.keyboard.press("Escape");
      await page.getByTestId("start-job").click();
      await expect(page.getByRole("dialog")).toBeVisible();
      await expectAccessible(page, `start-job dialog (${theme})`);
    });
  }
});
