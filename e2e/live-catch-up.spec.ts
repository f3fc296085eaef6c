// A page reads its data, then opens its event stream: whatever changed in
// between sends it no event. Each test holds a page's stream back (as a slow
// connection would) while its job changes, and checks that the page ends on
// the truth once the stream is open, without a reload.
import { expect, test, type BrowserContext } from "@playwright/test";
import { fromTheApp, jobOf, setFaults, startJobViaApi } from "./support/console";
import { STORAGE } from "./support/session";

// Titan Text Embeddings V2: one short battery, offered in both Regions, and
// neither Region is certified by another console spec.
const MODEL = "amazon.titan-embed-text-v2:0";

// Holds every event stream opened in the context until the returned function is called.
async function holdEventStreams(context: BrowserContext) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await context.route(/\/api\/v1\/(matrix|jobs\/[^/]+)\/events$/, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

test.describe("a page opened before a change it has no event for", () => {
  test.use({ storageState: STORAGE.admin });
  test.afterEach(() => setFaults());

  test("the job page: its pairs and counters catch up once its stream is open", async ({ page, context }) => {
    const REGION = "eu-west-3";
    // The pair's first call hangs: the job is running when the page reads it.
    await setFaults([{ models: [MODEL], regions: [REGION], operations: ["InvokeModel"], hangRate: 1, hangMs: 120_000 }]);
    const release = await holdEventStreams(context);
    const id = await startJobViaApi(page.request, { type: "SINGLE_MODEL", modelIds: [MODEL], regions: [REGION] });
    await page.goto(`/jobs/${id}`);
    await expect(page.getByTestId("job-status")).toHaveText(/Queued|Processing/);
    await expect(page.getByTestId("pair")).toHaveAttribute("data-status", /PENDING|QUEUED|PROCESSING/);

    // Cancelled while the page's stream is not open yet.
    const cancelled = await page.request.post(`/api/v1/jobs/${id}/cancel`, { headers: fromTheApp() });
    expect(cancelled.ok()).toBe(true);
    await expect.poll(async () => (await jobOf(page.request, id)).cancelledCount, { timeout: 30_000 }).toBe(1);

    release();
    await expect(page.getByTestId("job-status")).toHaveText("Cancelled");
    // Only a re-read brings the pair's row: the stream's snapshot carries counters.
    await expect(page.getByTestId("pair")).toHaveAttribute("data-status", "CANCELLED");
    await expect(page.getByTestId("count-cancelled")).toHaveText("1");
  });

  test("the matrix: a cell certified while the page loaded shows once its stream is open", async ({ page, context }) => {
    const REGION = "ca-central-1";
    // A verdict no other spec leaves in this cell.
    await setFaults([{ models: [MODEL], regions: [REGION], accessDenied: true }]);
    const release = await holdEventStreams(context);
    await page.goto(`/?q=${encodeURIComponent("titan-embed-text-v2")}`);
    const cell = page.getByTestId(`cell-${MODEL}-${REGION}`);
    await expect(cell).toBeVisible();
    await expect(page.getByTestId("live-status")).toHaveText("Connecting…");
    await expect(cell).not.toHaveAttribute("data-status", "FAILED");

    const id = await startJobViaApi(page.request, { type: "SINGLE_MODEL", modelIds: [MODEL], regions: [REGION] });
    await expect.poll(async () => (await jobOf(page.request, id)).status, { timeout: 30_000 }).toBe("FAILED");

    release();
    await expect(page.getByTestId("live-status")).toHaveText(/^(Live|Up to date)/);
    await expect(cell).toHaveAttribute("data-status", "FAILED");
  });

  test("the job page: a read that fails while the job ends is read again, and the page ends consistent", async ({ page }) => {
    const REGION = "eu-north-1";
    // Every read of the overview and the pairs fails (as under load, a 503) until the job has ended.
    let failing = true;
    await page.route(/\/api\/v1\/jobs\/[^/]+\/(overview|pairs)/, async (route) => {
      if (failing) return route.fulfill({ status: 503, headers: { "retry-after": "1" }, contentType: "application/json", body: JSON.stringify({ error: "unavailable", message: "busy" }) });
      return route.continue();
    });
    const id = await startJobViaApi(page.request, { type: "SINGLE_MODEL", modelIds: [MODEL], regions: [REGION] });
    await page.goto(`/jobs/${id}`);
    await expect.poll(async () => (await jobOf(page.request, id)).status, { timeout: 30_000 }).toBe("COMPLETED");
    await expect(page.getByTestId("job-status")).toHaveText(/Completed/);
    failing = false;
    // The failed reads heal on their own: the pair and the Region's strip show the end, nothing "Running".
    await expect(page.getByTestId("pair")).toHaveAttribute("data-status", "COMPLETED", { timeout: 15_000 });
    const strip = page.getByTestId(`region-strip-${REGION}`);
    await expect(strip.getByTestId("region-pass")).toHaveText("1/1 passed");
    await expect(strip.getByRole("img")).toHaveAttribute("aria-label", `${REGION}: 1 passed`);
  });
});
