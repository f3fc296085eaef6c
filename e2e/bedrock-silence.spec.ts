// Bedrock silence is news: with the model's calls left unanswered (a frozen
// endpoint), the header says which Region is not answering and for how long,
// within 30 s; once nothing waits on it any more, it says so no more.
import { expect, test } from "@playwright/test";
import { fromTheApp, jobOf, setFaults, startJobViaApi } from "./support/console";
import { STORAGE } from "./support/session";

// Titan Text Embeddings V2 in a Region no other spec certifies.
const MODEL = "amazon.titan-embed-text-v2:0";
const REGION = "eu-south-2";

test.use({ storageState: STORAGE.admin });
test.afterEach(() => setFaults());

test("a frozen Region is named in the header within 30 s, and the notice goes once the calls end", async ({ page }) => {
  await page.goto("/jobs");
  await expect(page.getByTestId("system-status")).toHaveText("All systems operational");
  // Every call of the model there hangs (the endpoint answers nothing).
  await setFaults([{ models: [MODEL], regions: [REGION], hangRate: 1, hangMs: 120_000 }]);
  const id = await startJobViaApi(page.request, { type: "SINGLE_MODEL", modelIds: [MODEL], regions: [REGION] });
  await expect(page.getByTestId("system-status")).toHaveText(new RegExp(`^Bedrock not answering in ${REGION} for \\d+ s`), { timeout: 30_000 });

  // Cancelled: nothing waits on the Region any more.
  const cancelled = await page.request.post(`/api/v1/jobs/${id}/cancel`, { headers: fromTheApp() });
  expect(cancelled.ok()).toBe(true);
  await expect.poll(async () => (await jobOf(page.request, id)).status, { timeout: 30_000 }).toBe("CANCELLED");
  await expect(page.getByTestId("system-status")).toHaveText("All systems operational", { timeout: 30_000 });
});
