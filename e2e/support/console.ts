// What the console specs share: the simulator's faults, picking options in
// the multi-selects, waiting for a job through the API.
import { readFileSync } from "node:fs";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { BASE_URL } from "../../playwright.config";
import { SIMULATOR_URL } from "./database";

const BASE_FAULTS = JSON.parse(readFileSync("e2e/support/simulator-faults.json", "utf8")) as { rules: unknown[] };

// Replaces the simulator's faults with its base latency plus `rules`.
export async function setFaults(rules: unknown[] = []) {
  const res = await fetch(`${SIMULATOR_URL}/_simulator/faults`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ rules: [...BASE_FAULTS.rules, ...rules] }) });
  expect(res.ok).toBe(true);
}

// Ticks each value in the multi-select named by its test id (searching for it first).
export async function pick(page: Page, testId: string, values: string[]) {
  await page.getByTestId(testId).click();
  const search = page.getByRole("searchbox").last();
  for (const value of values) {
    await search.fill(value);
    await page.getByRole("group").last().getByRole("checkbox").first().check();
  }
  await page.keyboard.press("Escape");
}

export type Job = { id: string; status: string; totalModels: number; processedModels: number; failureCount: number; successCount: number; cancelledCount: number };

// A change sent with the session cookie, as the app's own pages send it: with
// their Origin (the API refuses cookie-carried changes from anywhere else).
export const fromTheApp = () => ({ origin: new URL(BASE_URL).origin });

export async function startJobViaApi(request: APIRequestContext, body: unknown): Promise<string> {
  const res = await request.post("/api/v1/jobs", { data: body, headers: fromTheApp() });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

export async function jobOf(request: APIRequestContext, id: string): Promise<Job> {
  return (await (await request.get(`/api/v1/jobs/${id}`)).json()) as Job;
}
