"use server";
// The console's server actions: each hands the request's headers (who is
// asking) to its edge in lib/actions/console.ts. Route handlers stay for the
// API, tokens and Server-Sent Events.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import * as edge from "@/lib/actions/console";
import type { ActionResult } from "@/lib/http/action";

export type { ActionResult };

export async function startJobAction(job: unknown, idempotencyKey?: string) {
  return edge.startJob(await headers(), { job, idempotencyKey });
}

// The plain start form (/jobs/new), a form action: works with JavaScript off.
// No models chosen means every enabled model; a started job opens its page.
export async function startJobFormAction(_previous: ActionResult<{ id: string; created: boolean }> | null, form: FormData) {
  const modelIds = form.getAll("modelIds").map(String);
  const job = {
    ...(modelIds.length ? { type: "MULTIPLE_MODELS", modelIds } : { type: "ALL_MODELS" }),
    regions: form.getAll("regions").map(String),
    config: { useInferenceProfiles: form.get("useInferenceProfiles") === "on" },
  };
  const key = form.get("idempotencyKey");
  const result = await edge.startJob(await headers(), { job, ...(typeof key === "string" && key ? { idempotencyKey: key } : {}) });
  if (result.ok) redirect(`/jobs/${result.data.id}`);
  return result;
}

export async function jobAction(id: string, action: string) {
  return edge.changeJob(await headers(), { id, action });
}

export async function setModelEnabledAction(id: string, enabled: boolean) {
  return edge.enableModel(await headers(), { id, enabled });
}

export async function setRegionEnabledAction(code: string, enabled: boolean) {
  return edge.enableRegion(await headers(), { code, enabled });
}

export async function syncCatalogAction() {
  return edge.syncTheCatalog(await headers(), {});
}

// A form action (useActionState): works with JavaScript off too.
export async function createTokenAction(_previous: ActionResult<{ id: string; key: string }> | null, form: FormData) {
  const expires = form.get("expiresInDays");
  return edge.createToken(await headers(), { name: form.get("name"), ...(expires ? { expiresInDays: expires } : {}) });
}

export async function revokeTokenAction(id: string) {
  return edge.revokeToken(await headers(), { id });
}

export async function createScheduleAction(input: unknown) {
  return edge.createTheSchedule(await headers(), input);
}

export async function changeScheduleAction(id: string, change: unknown) {
  return edge.changeSchedule(await headers(), { id, change });
}

export async function deleteScheduleAction(id: string) {
  return edge.removeSchedule(await headers(), { id });
}

export async function runScheduleAction(id: string) {
  return edge.runTheSchedule(await headers(), { id });
}

export async function createWebhookAction(input: unknown) {
  return edge.createWebhook(await headers(), input);
}

export async function changeWebhookAction(id: string, change: unknown) {
  return edge.changeWebhook(await headers(), { id, change });
}

export async function deleteWebhookAction(id: string) {
  return edge.removeWebhook(await headers(), { id });
}

export async function testWebhookAction(id: string) {
  return edge.testWebhook(await headers(), { id });
}

export async function replayDeliveryAction(id: string) {
  return edge.replayTheDelivery(await headers(), { id });
}

export async function changeSettingsAction(change: unknown) {
  return edge.changeTheSettings(await headers(), change);
}
