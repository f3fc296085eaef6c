"use client";
// The catalog: every model with its provider, modalities and state; admins
// enable or disable models and sync the catalog from Bedrock.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import { useCanEdit } from "@/components/layout/session-context";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorState, Loading, PageHeader } from "@/components/ui/states";
import { setModelEnabledAction, syncCatalogAction } from "@/app/actions";
import { api, describeError, fromAction } from "@/lib/client/api";
import { TableHead } from "@/components/ui/table-head";
import { queryKeys } from "@/lib/client/query-keys";
import type { CatalogModel } from "./catalog-model";

type Model = CatalogModel;
type SyncReport = { regions: { region: string; ok: boolean }[] };

export function ModelsPage() {
  const canEdit = useCanEdit();
  const client = useQueryClient();
  const [q, setQ] = useState("");
  const models = useQuery({ queryKey: queryKeys.models, queryFn: () => api<{ models: Model[] }>("/api/v1/models").then((r) => r.models) });
  const toggle = useMutation({
    mutationFn: (m: Model) => fromAction(setModelEnabledAction(m.id, !m.enabled)).then((r) => ({ ...m, enabled: r.enabled })),
    onSuccess: (m) => {
      toast.success(`${m.name} ${m.enabled ? "enabled" : "disabled"}`);
      client.setQueryData<Model[]>(queryKeys.models, (list) => list?.map((x) => (x.id === m.id ? { ...x, enabled: m.enabled } : x)));
      void client.invalidateQueries({ queryKey: queryKeys.grid });
    },
    onError: (err) => toast.error("Could not change the model", { description: describeError(err) }),
  });
  const sync = useMutation({
    mutationFn: (): Promise<SyncReport> => fromAction(syncCatalogAction()),
    onSuccess: (r) => {
      const failed = r.regions.filter((x) => !x.ok);
      if (failed.length) toast.warning(`Catalog synced; ${failed.length} Region${failed.length === 1 ? "" : "s"} did not answer`, { description: failed.map((x) => x.region).join(", ") });
      else toast.success(`Catalog synced from ${r.regions.length} Regions`);
      void client.invalidateQueries();
    },
    onError: (err) => toast.error("Catalog sync failed", { description: describeError(err) }),
  });
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (models.data ?? []).filter((m) => !needle || `${m.provider} ${m.name} ${m.bedrockModelId ?? ""}`.toLowerCase().includes(needle));
  }, [models.data, q]);

  return (
    <div>
      <PageHeader
        title="Models"
        description={models.data ? `${models.data.length} models, ${models.data.filter((m) => m.enabled).length} enabled. Disabled models keep their history and are left out of new jobs.` : undefined}
        actions={
          canEdit && (
            <Button variant="primary" onClick={() => sync.mutate()} disabled={sync.isPending} data-testid="sync-catalog">
              {sync.isPending ? "Syncing…" : "Sync catalog from Bedrock"}
            </Button>
          )
        }
      />
      <input
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder="Search models…"
        aria-label="Search models"
        className="mb-3 w-72 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
      />
      {models.isLoading ? (
        <Loading label="Loading models" />
      ) : models.isError ? (
        <ErrorState error={models.error} onRetry={() => void models.refetch()} />
      ) : shown.length === 0 ? (
        <EmptyState title="No models match" />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-950">
          <table className="w-full text-left text-sm" data-testid="models-table">
            <TableHead columns={["Model", "Provider", "Input → output", "Lifecycle", "In new jobs"]} />
            <tbody>
              {shown.map((m) => (
                <tr key={m.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                  <td className="px-3 py-1.5">
                    <Link href={`/models/${m.id}`} className="font-medium text-sky-800 hover:underline dark:text-sky-300">
                      {m.name}
                    </Link>
                    <div className="font-mono text-xs text-slate-600 dark:text-slate-400">{m.bedrockModelId ?? "no model id"}</div>
                  </td>
                  <td className="px-3 py-1.5">{m.provider}</td>
                  <td className="px-3 py-1.5 text-xs">
                    {m.inputModalities.join(", ").toLowerCase()} → {m.outputModalities.join(", ").toLowerCase()}
                  </td>
                  <td className="px-3 py-1.5 text-xs">{m.lifecycle.toLowerCase()}</td>
                  <td className="px-3 py-1.5">
                    <label className="inline-flex items-center gap-2 text-xs">
                      <input type="checkbox" checked={m.enabled} disabled={!canEdit || toggle.isPending} onChange={() => toggle.mutate(m)} aria-label={`${m.name} in new jobs`} />
                      {m.enabled ? "enabled" : "disabled"}
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
