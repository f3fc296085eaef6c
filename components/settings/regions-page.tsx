"use client";
// Regions by geography: admins take a Region out of the matrix and of new
// jobs, or bring it back.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useCanEdit } from "@/components/layout/session-context";
import { ErrorState, Loading, PageHeader } from "@/components/ui/states";
import { setRegionEnabledAction } from "@/app/actions";
import { api, describeError, fromAction } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";

type Region = { code: string; name: string; geography: string; enabled: boolean; catalogSyncedAt: string | null };

export function RegionsPage() {
  const canEdit = useCanEdit();
  const client = useQueryClient();
  const regions = useQuery({ queryKey: queryKeys.regions, queryFn: () => api<{ regions: Region[] }>("/api/v1/regions").then((r) => r.regions) });
  const toggle = useMutation({
    mutationFn: (r: Region) => fromAction(setRegionEnabledAction(r.code, !r.enabled)).then((x) => ({ ...r, enabled: x.enabled })),
    onSuccess: (r) => {
      toast.success(`${r.code} ${r.enabled ? "enabled" : "disabled"}`);
      client.setQueryData<Region[]>(queryKeys.regions, (list) => list?.map((x) => (x.code === r.code ? { ...x, enabled: r.enabled } : x)));
      void client.invalidateQueries({ queryKey: queryKeys.grid });
    },
    onError: (err) => toast.error("Could not change the Region", { description: describeError(err) }),
  });
  const groups = new Map<string, Region[]>();
  for (const r of regions.data ?? []) groups.set(r.geography, [...(groups.get(r.geography) ?? []), r]);

  return (
    <div>
      <PageHeader title="Regions" description="Disabled Regions leave the matrix and new jobs; their history is kept." />
      {regions.isLoading ? (
        <Loading label="Loading Regions" />
      ) : regions.isError ? (
        <ErrorState error={regions.error} onRetry={() => void regions.refetch()} />
      ) : (
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
          {[...groups].map(([geography, list]) => (
            <section key={geography} aria-labelledby={`geo-${geography}`} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-950">
              <h2 id={`geo-${geography}`} className="mb-2 text-sm font-semibold">
                {geography}{" "}
                <span className="font-normal text-slate-600 dark:text-slate-400">
                  ({list.filter((r) => r.enabled).length} of {list.length} enabled)
                </span>
              </h2>
              <ul className="space-y-1">
                {list.map((r) => (
                  <li key={r.code} className="flex items-center justify-between gap-2 text-sm">
                    <label className="flex items-center gap-2">
                      <input type="checkbox" checked={r.enabled} disabled={!canEdit || toggle.isPending} onChange={() => toggle.mutate(r)} aria-label={`${r.code} (${r.name}) enabled`} />
                      <span className="font-mono text-xs">{r.code}</span> <span>{r.name}</span>
                    </label>
                    <span className="text-xs text-slate-600 dark:text-slate-400" title="Last catalog sync">
                      {r.catalogSyncedAt ? `synced ${new Date(r.catalogSyncedAt).toLocaleDateString()}` : "never synced"}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
