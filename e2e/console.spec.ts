// The admin console as QA drives it: the production build, a real worker and
// the Bedrock simulator (e2e/support/serve.ts).
import { expect, test } from "@playwright/test";
import { jobOf, pick, setFaults, startJobViaApi } from "./support/console";
import { STORAGE } from "./support/session";

const MODELS = ["amazon.titan-embed-text-v2:0", "anthropic.claude-3-haiku-20240307-v1:0", "meta.llama3-8b-instruct-v1:0"];
const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"];
const LLAMA = MODELS[2]!; // offered in us-east-1, not legacy there
// Slow enough to pause or cancel a job while it runs.
const SLOW = { latency: { firstTokenMs: 1500, jitterMs: 0, tokensPerSecond: 50 } };

test.describe("as an admin", () => {
  test.use({ storageState: STORAGE.admin });
  test.beforeEach(() => setFaults());

  test("start a 3 × 4 job in the dialog, watch it reach 100% and the matrix change, without a reload", async ({ page, context }) => {
    // A second tab on the matrix, filtered to the job's models, watches the cells.
    const matrix = await context.newPage();
    await matrix.goto(`/?q=${encodeURIComponent("llama3-8b")}`);
    // Connected (nothing running yet: "Up to date").
    await expect(matrix.getByTestId("live-status")).toHaveText(/^(Live|Up to date)/);
    // Llama 3 8B is offered in us-east-1: the worker certifies it.
    const llamaCell = matrix.getByTestId(`cell-${LLAMA}-us-east-1`);
    await expect(llamaCell).toHaveAttribute("data-status", "");

    await page.goto("/");
    await page.getByTestId("start-job").click();
    const dialog = page.getByRole("dialog", { name: "Start a certification" });
    await dialog.getByRole("radio", { name: /Several models/ }).check();
    // Inline validation first: nothing chosen yet.
    await dialog.getByTestId("start-job-submit").click();
    await expect(dialog.getByTestId("error-modelIds")).toHaveText("choose at least one model");
    await expect(dialog.getByTestId("error-regions")).toHaveText("choose at least one Region");
    await pick(page, "job-models", MODELS);
    await pick(page, "job-regions", REGIONS);
    // Announced by availability before it starts.
    await expect(dialog.getByTestId("job-preview")).toContainText("12 pairs selected:");
    // And what it will cost, from the battery's plan.
    await expect(dialog.getByTestId("job-preview")).toContainText(/Cost: about \d+ model calls and [\d.]+ k? ?tokens at most/);
    await dialog.getByTestId("start-job-submit").click();

    await expect(page).toHaveURL(/\/jobs\/[\w-]+$/);
    await expect(page.getByTestId("count-pairs")).toHaveText("12");
    await expect(page.getByTestId("job-percent")).toHaveText("100%", { timeout: 60_000 });
    await expect(page.getByTestId("job-status")).toHaveText(/Completed|Failed/);
    await expect(page.getByTestId("pair")).toHaveCount(12);
    await expect(page.getByTestId("pair").and(page.locator('[data-status="PROCESSING"], [data-status="QUEUED"], [data-status="PENDING"]'))).toHaveCount(0);

    // The other tab was never reloaded: its cell now shows a finished certification.
    await expect(llamaCell).toHaveAttribute("data-status", /COMPLETED|FAILED/);
    await matrix.close();
  });

  test("Start waits for the count: disabled while the dialog is counting pairs", async ({ page }) => {
    // Hold the count back until the test lets it go.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/v1/jobs/preview", async (route) => {
      await held;
      await route.continue();
    });
    await page.goto("/");
    await page.getByTestId("start-job").click();
    const dialog = page.getByRole("dialog", { name: "Start a certification" });
    await dialog.getByRole("radio", { name: /Several models/ }).check();
    await pick(page, "job-models", [MODELS[0]!]);
    await pick(page, "job-regions", ["us-east-1"]);
    await expect(dialog.getByTestId("job-preview")).toHaveText("Counting pairs…");
    await expect(dialog.getByTestId("start-job-submit")).toBeDisabled();
    await expect(dialog.getByTestId("start-job-submit")).toHaveText("Counting…");
    release();
    await expect(dialog.getByTestId("job-preview")).toContainText("1 pair");
    await expect(dialog.getByTestId("start-job-submit")).toBeEnabled();
    await expect(dialog.getByTestId("start-job-submit")).toHaveText("Start certification");
  });

  test("filters live in the URL, survive a reload and clear; a cell opens its detail", async ({ page }) => {
    const request = page.request;
    // A finished certification to look at.
    const id = await startJobViaApi(request, { type: "SINGLE_MODEL", modelIds: [MODELS[0]], regions: ["us-east-1"] });
    await expect.poll(async () => (await jobOf(request, id)).status, { timeout: 30_000 }).toBe("COMPLETED");

    await page.goto("/");
    await pick(page, "filter-region", ["us-east-1", "eu-west-1"]);
    await page.getByTestId("filter-status").click();
    await page.getByRole("group", { name: "Status" }).getByRole("checkbox", { name: "Completed" }).check();
    await page.keyboard.press("Escape");
    // In the columns' order (Europe before North America).
    await expect(page).toHaveURL(/region=eu-west-1,us-east-1/);
    await expect(page).toHaveURL(/status=COMPLETED/);
    const columns = page.getByTestId("matrix").locator("thead tr").nth(1).locator("th");
    await expect(columns).toHaveCount(2);

    await page.reload();
    await expect(columns).toHaveCount(2);
    await expect(page.getByTestId("filter-status")).toContainText("Completed");
    // Every row left has a completed cell.
    const rows = page.locator('[data-testid^="row-"]');
    await expect(rows.first()).toBeVisible();
    for (const row of await rows.all()) await expect(row.locator('[data-status="COMPLETED"]').first()).toBeVisible();

    await page.getByTestId(`cell-${MODELS[0]}-us-east-1`).click();
    await expect(page).toHaveURL(/cell=/);
    const detail = page.getByTestId("cell-detail");
    await expect(detail.getByRole("heading", { name: "Tests" })).toBeVisible();
    await expect(detail.getByRole("cell", { name: "reachability" })).toBeVisible();
    await expect(detail.getByRole("heading", { name: /History/ })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page).not.toHaveURL(/cell=/);

    await page.getByTestId("filter-clear").click();
    await expect(page).not.toHaveURL(/region=|status=/);
    await expect(columns).toHaveCount(33);
  });

  test("the grid is keyboard reachable: one tab stop, arrow keys move, Enter opens", async ({ page }) => {
    await page.goto("/");
    await expect(page.locator('[data-cell][tabindex="0"]')).toHaveCount(1);
    await page.locator('[data-cell="0:0"]').focus();
    await page.keyboard.press("ArrowRight");
    await expect(page.locator('[data-cell="0:1"]')).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(page.locator('[data-cell="1:1"]')).toBeFocused();
    await page.keyboard.press("End");
    await expect(page.locator('[data-cell="1:32"]')).toBeFocused();
    // Far down: the row is rendered on the way (the grid is virtualized).
    for (let i = 0; i < 4; i++) await page.keyboard.press("PageDown");
    await expect(page.locator('[data-cell="61:32"]')).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/cell=/);
    await expect(page.getByRole("dialog")).toBeVisible();
  });

  test("pause and resume a running job", async ({ page }) => {
    const request = page.request;
    await setFaults([SLOW]);
    const id = await startJobViaApi(request, { type: "MULTIPLE_MODELS", modelIds: MODELS, regions: REGIONS });
    await page.goto(`/jobs/${id}`);
    await page.getByTestId("job-pause").click();
    await expect(page.getByTestId("job-status")).toHaveText("Paused");
    await expect(page.getByTestId("job-pause")).toHaveCount(0);
    await setFaults();
    await page.getByTestId("job-resume").click();
    await expect(page.getByTestId("job-percent")).toHaveText("100%", { timeout: 90_000 });
    await expect(page.getByTestId("job-resume")).toHaveCount(0);
    const job = await jobOf(request, id);
    expect(job.processedModels).toBe(12);
  });

  test("cancel a running job, after confirming", async ({ page }) => {
    const request = page.request;
    await setFaults([SLOW]);
    const id = await startJobViaApi(request, { type: "MULTIPLE_MODELS", modelIds: MODELS, regions: REGIONS });
    await page.goto(`/jobs/${id}`);
    await expect(page.getByTestId("job-status")).toHaveText(/Queued|Processing/);
    await page.getByTestId("job-cancel").click();
    const confirm = page.getByRole("dialog", { name: "Cancel this job?" });
    await confirm.getByRole("button", { name: "Keep it" }).click();
    await expect(page.getByTestId("job-status")).not.toHaveText("Cancelled");
    await page.getByTestId("job-cancel").click();
    await confirm.getByRole("button", { name: "Cancel the job" }).click();
    await expect(page.getByTestId("job-status")).toHaveText("Cancelled");
    await expect(page.getByTestId("job-cancel")).toHaveCount(0);
    await expect.poll(async () => (await jobOf(request, id)).cancelledCount, { timeout: 30_000 }).toBeGreaterThan(0);
  });

  test("retry the failed pairs of a job", async ({ page }) => {
    const request = page.request;
    await setFaults([{ models: [LLAMA], regions: ["us-east-1"], accessDenied: true }]);
    const id = await startJobViaApi(request, { type: "MULTIPLE_MODELS", modelIds: [LLAMA, MODELS[0]], regions: ["us-east-1"] });
    await page.goto(`/jobs/${id}`);
    await expect(page.getByTestId("job-percent")).toHaveText("100%", { timeout: 30_000 });
    await expect(page.getByTestId("failure-groups")).toContainText("ACCESS_DENIED");
    // What to do about it, once.
    await expect(page.getByTestId("failure-groups").getByText(/Request access to this model in us-east-1/)).toHaveCount(1);
    await expect(page.getByTestId("count-failed")).toHaveText("1");

    await setFaults();
    await page.getByTestId("job-retry-failed").click();
    await expect(page.getByTestId("count-failed")).toHaveText("0", { timeout: 30_000 });
    await expect(page.getByTestId("job-status")).toHaveText("Completed");
    await expect(page.getByTestId("failure-groups")).toHaveCount(0);
  });

  test("an API token made in the UI works like curl, until it is revoked", async ({ page, playwright, baseURL }) => {
    await page.goto("/settings");
    await page.getByTestId("token-name").fill("e2e curl");
    await page.getByTestId("create-token").click();
    const token = (await page.getByTestId("new-token").textContent())!.trim();
    expect(token).toMatch(/^brc_/);
    await expect(page.getByTestId("tokens-table")).toContainText("e2e curl");

    // A client with no cookies, only the token.
    const curl = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    const matrix = await curl.get("/api/v1/matrix?region=us-east-1");
    expect(matrix.status()).toBe(200);
    expect((await matrix.json()).columns).toContain("score");
    // Sent gzipped (compressed once per payload, server/compression.ts), the marker header not leaked.
    expect(matrix.headers()["content-encoding"]).toBe("gzip");
    expect(matrix.headers()["x-precompressed-encoding"]).toBeUndefined();
    // Unchanged data: the ETag comes back as 304 with no body.
    const etag = matrix.headers()["etag"]!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await curl.get("/api/v1/matrix?region=us-east-1", { headers: { "if-none-match": etag } });
    expect(again.status()).toBe(304);
    expect((await again.body()).length).toBe(0);
    const job = await curl.post("/api/v1/jobs", { data: { type: "SINGLE_MODEL", modelIds: [MODELS[0]], regions: ["eu-west-1"] } });
    expect(job.status()).toBe(201);
    // The job changed the data (its cell is queued): the old ETag no longer matches.
    expect((await curl.get("/api/v1/matrix", { headers: { "if-none-match": etag } })).status()).toBe(200);

    // The job the token started is in the admin log, as done with a token.
    await page.reload();
    await expect(page.getByTestId("audit-table").locator("tr", { hasText: "job.create" }).first()).toContainText("(token)");

    await page.getByTestId("tokens-table").getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
    await expect(page.getByText("No tokens yet")).toBeVisible();
    expect((await curl.get("/api/v1/matrix")).status()).toBe(401);
    await curl.dispose();
  });
});

test.describe("as a viewer", () => {
  test.use({ storageState: STORAGE.viewer });

  test("sees everything and no control; a forged request from the session is refused and writes nothing", async ({ page }) => {
    const request = page.request;
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Certification matrix" })).toBeVisible();
    await expect(page.getByTestId("signed-in-as")).toContainText("viewer");
    await expect(page.getByTestId("start-job")).toHaveCount(0);
    await page.goto("/jobs");
    await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
    await expect(page.getByTestId("start-job")).toHaveCount(0);
    const jobs = (await (await request.get("/api/v1/jobs")).json()).jobs as { id: string }[];
    expect(jobs.length).toBeGreaterThan(0);
    await page.goto(`/jobs/${jobs[0]!.id}`);
    await expect(page.getByTestId("job-counters")).toBeVisible();
    await expect(page.locator('[data-testid^="job-"]').getByRole("button")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /Pause|Resume|Cancel job|Retry/ })).toHaveCount(0);
    await page.goto("/models");
    await expect(page.getByTestId("sync-catalog")).toHaveCount(0);
    await expect(page.getByTestId("models-table").getByRole("checkbox").first()).toBeDisabled();

    // The viewer's own session cookie, sent by hand.
    const before = jobs.length;
    const forged = await request.post("/api/v1/jobs", { data: { type: "SINGLE_MODEL", modelIds: [MODELS[0]], regions: ["us-east-1"] } });
    expect(forged.status()).toBe(403);
    expect((await request.post(`/api/v1/jobs/${jobs[0]!.id}/retry-failed`)).status()).toBe(403);
    expect((await request.patch("/api/v1/models/amazon.titan-embed-text-v2:0", { data: { enabled: false } })).status()).toBe(403);
    expect(((await (await request.get("/api/v1/jobs")).json()).jobs as unknown[]).length).toBe(before);
  });
});
