// The job an admin starts first: every model in every Region, on the
// simulator, through the production build and a real worker. What the screen
// says is checked against PostgreSQL: red is exactly "offered, tried, failed".
import { expect, test } from "@playwright/test";
import pg from "pg";
import { setFaults } from "./support/console";
import { e2eDatabaseUrl } from "./support/database";
import { STORAGE } from "./support/session";

// Failures of two kinds, so the job page has categories to group.
const DENIED = "amazon.titan-embed-text-v2:0";
const WRONG = "meta.llama3-8b-instruct-v1:0";

async function sql<T>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

test.describe("all models × all Regions", () => {
  test.use({ storageState: STORAGE.admin, viewport: { width: 1440, height: 900 } });
  test.afterEach(() => setFaults());

  test("announced, run, and shown truthfully: neutral cells never red, pass rates over offered pairs, a bounded job page", async ({ page }) => {
    test.setTimeout(300_000);
    await setFaults([
      { models: [DENIED], regions: ["us-east-1", "eu-west-1", "ap-northeast-1"], accessDenied: true },
      { models: [WRONG], wrongAnswerRate: 1 },
    ]);
    const regionCount = (await sql<{ n: number }>("SELECT count(*)::int AS n FROM regions WHERE enabled"))[0]!.n;

    // The dialog tells before it starts, with the numbers the job will show.
    await page.goto("/");
    await page.getByTestId("start-job").click();
    const dialog = page.getByRole("dialog", { name: "Start a certification" });
    await dialog.getByRole("radio", { name: /All models/ }).check();
    await page.getByTestId("job-regions").click();
    await page.getByRole("button", { name: "Select all", exact: true }).click();
    await page.keyboard.press("Escape");
    const preview = dialog.getByTestId("job-preview");
    await expect(preview).toContainText(/pairs selected: [\d,]+ in-Region, [\d,]+ profile only \(certified through profiles: no\), [\d,]+ not offered — skipped/);
    const announced = (await preview.textContent())!;
    await dialog.getByTestId("start-job-submit").click();
    await expect(page).toHaveURL(/\/jobs\/[\w-]+$/);
    const jobId = page.url().split("/").at(-1)!;

    await expect(page.getByTestId("job-percent")).toHaveText("100%", { timeout: 240_000 });
    await expect(page.getByTestId("job-status")).toHaveText("Completed with failures");
    type Counters = Record<"total_models" | "success_count" | "failure_count" | "not_offered_count" | "profile_only_count" | "legacy_count" | "unsupported_count", number>;
    const [job] = await sql<Counters>(
      `SELECT total_models, success_count, failure_count, not_offered_count, profile_only_count, legacy_count, unsupported_count FROM certification_jobs WHERE id = $1`,
      [jobId],
    );
    expect(job!.total_models).toBeGreaterThan(3_000);
    const n = (x: number) => x.toLocaleString("en-US");
    expect(announced).toContain(`${n(job!.total_models)} pairs selected`);
    expect(announced).toContain(`${n(job!.not_offered_count)} not offered — skipped`);
    // The counters on the page are the job's.
    for (const [id, column] of [
      ["count-passed", "success_count"],
      ["count-failed", "failure_count"],
      ["count-not-offered", "not_offered_count"],
      ["count-profile-only", "profile_only_count"],
      ["count-legacy", "legacy_count"],
      ["count-unsupported", "unsupported_count"],
    ] as const)
      await expect(page.getByTestId(id)).toHaveText(String(job![column]));

    // Failures grouped by category, however many pairs the job has.
    await expect(page.getByTestId("failure-group-ACCESS_DENIED").getByTestId("failure-count")).toHaveText("3 pairs");
    await expect(page.getByTestId("failure-group-WRONG_ANSWER")).toBeVisible();
    await expect(page.getByTestId("region-strips").locator("tr")).toHaveCount(regionCount + 1);
    const nodes = await page.evaluate(() => document.querySelectorAll("*").length);
    expect(nodes).toBeLessThan(2_000);
    // The pairs a page at a time; the failed ones first.
    await expect(page.getByTestId("pair")).toHaveCount(50);
    await expect(page.getByTestId("pair").first()).toHaveAttribute("data-verdict", "failed");

    // The matrix: red cells are exactly the offered pairs that failed.
    await page.goto("/");
    const failedOnScreen = page.locator('[data-tone="failed"]');
    await page.goto("/?status=FAILED");
    await expect(page.locator('[data-testid^="row-"]').first()).toBeVisible();
    const failedPairs = await sql<{ bedrock_model_id: string; region: string; availability: string | null }>(
      `SELECT m.bedrock_model_id, c.region, c.availability::text AS availability FROM model_certifications c JOIN ai_models m ON m.id = c.model_id
        WHERE c.status = 'FAILED' AND m.enabled AND m.bedrock_model_id IS NOT NULL`,
    );
    expect(failedPairs.every((p) => p.availability === "IN_REGION" || p.availability === "PROFILE_ONLY")).toBe(true);
    for (const cell of await failedOnScreen.all()) {
      const [model, region] = (await cell.getAttribute("data-testid"))!.replace(/^cell-/, "").split(/-(?=[a-z]{2,4}-[a-z]+-\d+$)/);
      expect(
        failedPairs.some((p) => p.bedrock_model_id === model && p.region === region),
        `${model} in ${region} is drawn red`,
      ).toBe(true);
    }
    // Neutral cells are drawn as what they are.
    await page.goto("/?q=llama3-8b");
    await expect(page.getByTestId(`cell-${WRONG}-eu-west-1`)).toHaveAttribute("data-tone", "unavailable");
    await expect(page.getByTestId(`cell-${WRONG}-us-east-1`)).toHaveAttribute("data-tone", "failed");

    // Region pass rates: offered pairs passed over offered pairs tried, from PostgreSQL.
    await page.goto("/");
    const rates = await sql<{ region: string; passed: number; tried: number }>(
      `SELECT c.region, count(*) FILTER (WHERE c.passed)::int AS passed, count(*) FILTER (WHERE c.passed IS NOT NULL)::int AS tried
         FROM model_certifications c JOIN ai_models m ON m.id = c.model_id JOIN regions r ON r.code = c.region
        WHERE m.enabled AND m.bedrock_model_id IS NOT NULL AND r.enabled GROUP BY c.region`,
    );
    for (const r of rates) await expect(page.getByTestId(`region-rate-${r.region}`)).toHaveText(r.tried ? `${Math.round((r.passed / r.tried) * 100)}%` : "–");
    await expect(page.getByTestId("matrix-totals")).toContainText(`${n(job!.not_offered_count)} not offered`);

    // Compact enough to read: at least 30 model rows on a 1440 × 900 screen.
    const visibleRows = await page.locator('[data-testid^="row-"]').evaluateAll((rows) => rows.filter((r) => r.getBoundingClientRect().bottom <= window.innerHeight).length);
    expect(visibleRows).toBeGreaterThanOrEqual(30);
  });
});
