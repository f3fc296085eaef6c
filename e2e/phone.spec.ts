// The console on a phone (390 × 844): every page fits the screen's width (no
// sideways scroll, the header inside it), and every page of the navigation is
// reachable through the menu (issue 29: four were off-screen with no menu).
import { expect, test } from "@playwright/test";
import { STORAGE } from "./support/session";

test.use({ storageState: STORAGE.admin, viewport: { width: 390, height: 844 } });

const PAGES = [
  ["/", "Matrix"],
  ["/jobs", "Jobs"],
  ["/models", "Models"],
  ["/regions", "Regions"],
  ["/schedules", "Schedules"],
  ["/incidents", "Incidents"],
  ["/events", "Feed"],
  ["/settings", "Settings"],
] as const;

test("every console page fits a phone's width, and the menu reaches every page", async ({ page }) => {
  for (const [path] of PAGES) {
    await page.goto(path);
    await expect(page.locator("main")).toBeVisible();
    await page.waitForLoadState("networkidle");
    const overflow = await page.evaluate(() => {
      const width = window.innerWidth;
      const header = [...document.querySelectorAll("header *")].filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.right > width + 1;
      });
      return { scrollWidth: document.documentElement.scrollWidth, width, headerOffscreen: header.map((e) => e.textContent?.slice(0, 30)) };
    });
    expect({ path, ...overflow }).toEqual({ path, scrollWidth: overflow.width, width: 390, headerOffscreen: [] });
  }
  for (const [path, label] of PAGES) {
    await page.getByTestId("nav-menu-button").click();
    const menu = page.getByTestId("nav-menu");
    await expect(menu.getByRole("link")).toHaveCount(PAGES.length);
    const link = menu.getByRole("link", { name: label, exact: true });
    const box = (await link.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await link.click();
    await expect(page).toHaveURL(new RegExp(`${path === "/" ? "/$" : path}`));
    await expect(page.getByTestId("nav-menu")).toHaveCount(0);
  }
});
