// With JavaScript off, "Start certification" still starts one: it is a link to
// the plain start form (/jobs/new), posted to a server action; the server's
// field errors come back beside the fields.
import { expect, test } from "@playwright/test";
import { STORAGE } from "./support/session";

test.use({ storageState: STORAGE.admin, javaScriptEnabled: false });

test("the start form works with JavaScript off, errors beside the fields", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("start-job").click();
  await expect(page).toHaveURL(/\/jobs\/new$/);

  // No Region chosen: refused, said beside the Regions field, nothing started.
  await page.getByLabel("Models").selectOption(["amazon.titan-embed-text-v2:0"]);
  await page.getByRole("button", { name: "Start certification" }).click();
  await expect(page.locator("#regions-error")).toBeVisible();
  await expect(page).toHaveURL(/\/jobs\/new$/);

  await page.getByLabel("Models").selectOption(["amazon.titan-embed-text-v2:0"]);
  await page.getByLabel("Regions").selectOption(["us-east-1", "eu-west-1"]);
  await page.getByRole("button", { name: "Start certification" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  const id = new URL(page.url()).pathname.split("/").pop()!;
  const job = await (await page.request.get(`/api/v1/jobs/${id}`)).json();
  expect(job).toMatchObject({ id, type: "MULTIPLE_MODELS", totalModels: 2, createdBy: "e2e-admin@example.com" });
});
