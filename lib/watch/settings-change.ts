import "server-only";
// Changing the installation settings, for every edge (the API and the
// console's action): saved and audited, then a new catalog schedule is put in
// Redis at once (the workers' reconcilers would within RECONCILE_INTERVAL_MS).
import type { Actor } from "@/lib/audit";
import { readSettings, updateSettings, type AppSettings } from "./app-settings";
import { syncSchedulers, type ScheduleDeps } from "./schedules";

export async function changeSettings(deps: ScheduleDeps, actor: Actor, raw: unknown, defaultCatalogCron: string): Promise<AppSettings> {
  const changed = await updateSettings(deps.db, actor, raw);
  if (changed.includes("catalogSyncCron")) await syncSchedulers(deps, defaultCatalogCron);
  return readSettings(deps.db, { catalogSyncCron: defaultCatalogCron });
}
