// Watching on its own, as an admin sees it: a schedule and a webhook created
// in the console (field errors beside their fields, next fire times, a signed
// test event at a receiver), then a fault injected in the simulator shows up
// as regression markers on the matrix and an open incident.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { verifySignature } from "../lib/watch/signature";
import { jobOf, pick, setFaults, startJobViaApi } from "./support/console";
import { STORAGE } from "./support/session";

// A model no other spec certifies on purpose, in three Regions that offer it in-Region.
const MODEL = "mistral.mistral-7b-instruct-v0:2";
const REGIONS = ["us-east-1", "us-west-2", "eu-west-2"];

test.describe("as an admin", () => {
  test.use({ storageState: STORAGE.admin });
  test.beforeEach(() => setFaults());

  test("create a schedule and a webhook in the console; the webhook's test event arrives signed", async ({ page }) => {
    await page.goto("/schedules");
    await page.getByTestId("new-schedule").click();
    const form = page.getByTestId("schedule-form");
    await form.getByTestId("schedule-name").fill("Nightly Mistral");
    await form.getByTestId("schedule-cron").fill("0 25 * * *");
    await form.getByTestId("schedule-timezone").fill("UTC");
    await form.getByTestId("schedule-model-mode").selectOption("list");
    await pick(page, "schedule-models", [MODEL]);
    await form.getByTestId("schedule-region-mode").selectOption("list");
    await pick(page, "schedule-regions", ["us-east-1"]);
    await form.getByTestId("create-schedule").click();
    // The server's reason, beside the field.
    await expect(form.getByTestId("error-cron")).toContainText("25");
    await form.getByTestId("schedule-cron").fill("0 6 * * *");
    await form.getByTestId("create-schedule").click();
    const row = page.getByTestId("schedule-Nightly Mistral");
    await expect(row).toBeVisible();
    await expect(row.getByTestId("next-fire-times").locator("div")).toHaveCount(3);
    // …and what its next firing would queue now.
    await expect(row.getByTestId("next-firing")).toHaveText(/^would queue \d+ pairs/);
    await row.getByTestId("pause-schedule").click();
    await expect(row).toContainText("paused");
    await expect(row.getByTestId("next-fire-times")).toHaveText("—");

    // A receiver on this machine for the webhook.
    const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      await page.goto("/settings");
      const hooks = page.getByTestId("webhook-form");
      await hooks.getByTestId("webhook-name").fill("QA receiver");
      await hooks.getByTestId("webhook-url").fill("ftp://example.com/hook");
      await hooks.getByTestId("create-webhook").click();
      await expect(hooks.getByTestId("error-url")).toHaveText("must be an http:// or https:// URL");
      await hooks.getByTestId("webhook-url").fill(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
      await hooks.getByTestId("create-webhook").click();
      const secret = (await page.getByTestId("webhook-secret").textContent())!;
      expect(secret.length).toBeGreaterThanOrEqual(32);
      const item = page.getByTestId("webhook-QA receiver");
      await item.getByTestId("test-webhook").click();
      await expect(item.getByTestId("delivery-delivered")).toBeVisible({ timeout: 30_000 });
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0]!.body)).toMatchObject({ kind: "test" });
      expect(verifySignature(secret, received[0]!.body, String(received[0]!.headers["x-certify-signature"]))).toBe(true);
    } finally {
      server.close();
    }
  });

  test("a fault injected in 3 Regions: regression markers on the matrix and an open incident", async ({ page }) => {
    const request = page.request;
    const run = async () => {
      const id = await startJobViaApi(request, { type: "SINGLE_MODEL", modelIds: [MODEL], regions: REGIONS, config: { tests: ["reachability", "exact_instruction"] } });
      await expect.poll(async () => (await jobOf(request, id)).status, { timeout: 60_000 }).toMatch(/COMPLETED|FAILED/);
      return jobOf(request, id);
    };
    expect(await run()).toMatchObject({ successCount: 3, failureCount: 0 });
    await setFaults([{ models: [MODEL], regions: REGIONS, modelErrorRate: 1 }]);
    const failing = await run();
    expect(failing).toMatchObject({ successCount: 0, failureCount: 3 });
    // A worker compares a pair with the cell's history after recording it, so
    // the job can read COMPLETED a moment before its last regressions are
    // marked. Each is marked, then announced as an event: wait for the three.
    const regressionsOf = async (jobId: string) => {
      const res = await request.get(`/api/v1/events?kind=regression&modelId=${encodeURIComponent(MODEL)}`);
      const { events } = (await res.json()) as { events: { region: string; details: { jobId?: string } }[] };
      return events
        .filter((e) => e.details.jobId === jobId)
        .map((e) => e.region)
        .sort();
    };
    await expect.poll(() => regressionsOf(failing.id), { timeout: 30_000 }).toEqual([...REGIONS].sort());

    await page.goto(`/?q=${encodeURIComponent("mistral-7b-instruct-v0:2")}`);
    for (const region of REGIONS) {
      const cell = page.getByTestId(`cell-${MODEL}-${region}`);
      await expect(cell).toHaveAttribute("data-regressed", "true");
      await expect(cell).toHaveAttribute("aria-label", /regressed since its previous run/);
    }

    // The model's incident is evaluated after each regression: wait for the third.
    const failingIn = async () => {
      const res = await request.get("/api/v1/incidents?status=OPEN&scope=model");
      const { incidents } = (await res.json()) as { incidents: { failing: number; model: { bedrockModelId: string | null } | null }[] };
      return incidents.find((i) => i.model?.bedrockModelId === MODEL)?.failing ?? 0;
    };
    await expect.poll(failingIn, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    await page.goto("/incidents");
    const open = page.getByTestId("incident-open").filter({ hasText: "Mistral 7B Instruct" });
    // 3 of its offered Regions (more if another spec certified it elsewhere).
    await expect(open).toContainText(/3 of \d+ Regions/);
    await open.getByRole("button", { name: "Timeline" }).click();
    await expect(page.getByTestId("incident-timeline")).toContainText(/opened: \d+ of \d+ failing/);

    await page.goto("/events");
    await expect(page.getByTestId("event-incident.opened").filter({ hasText: "Mistral 7B Instruct" })).toBeVisible();
    await expect(page.getByTestId("event-regression").filter({ hasText: "passed → failed" }).first()).toBeVisible();
  });
});
