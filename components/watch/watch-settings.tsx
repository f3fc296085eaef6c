"use client";
// Installation settings of the watch (admin): when the catalog is synced on
// its own, and the public status page with its badges (off by default).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { changeSettingsAction } from "@/app/actions";
import { Button } from "@/components/ui/button";
import { FieldErrorText, reasonFor } from "@/components/ui/field-error";
import { ErrorState, Loading } from "@/components/ui/states";
import { api, ApiError, describeError, fromAction, type FieldError } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";

type Settings = { catalogSyncCron: string; statusPagePublic: boolean; statusPageModels: string[] };
const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

export function WatchSettings() {
  const settings = useQuery({ queryKey: queryKeys.settings, queryFn: () => api<Settings>("/api/v1/settings") });
  if (settings.isLoading) return <Loading label="Loading settings" />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  return <SettingsForm s={settings.data!} />;
}

function SettingsForm({ s }: { s: Settings }) {
  const client = useQueryClient();
  const [cron, setCron] = useState(s.catalogSyncCron);
  const [models, setModels] = useState(s.statusPageModels.join(" "));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const save = useMutation({
    mutationFn: (change: Partial<Settings>) => fromAction(changeSettingsAction(change)),
    onSuccess: (s) => {
      setErrors([]);
      client.setQueryData(queryKeys.settings, s);
      void client.invalidateQueries({ queryKey: queryKeys.audit });
      toast.success("Settings saved");
    },
    onError: (err) => {
      setErrors(err instanceof ApiError ? err.fields : []);
      toast.error("Could not save", { description: describeError(err) });
    },
  });
  const errorOf = (field: string) => reasonFor(errors, field);

  return (
    <section aria-labelledby="watch-heading" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-950">
      <h2 id="watch-heading" className="text-lg font-semibold">
        Watching on its own
      </h2>
      <form
        className="mt-3 grid gap-3 md:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ catalogSyncCron: cron.trim(), statusPageModels: models.split(/[\s,]+/).filter(Boolean) });
        }}
      >
        <label className="text-sm">
          Catalog sync (cron, UTC, or <code>off</code>): new offered pairs are certified as they appear
          <input className={`${input} font-mono`} value={cron} onChange={(e) => setCron(e.target.value)} data-testid="catalog-cron" aria-invalid={!!errorOf("catalogSyncCron") || undefined} />
          <FieldErrorText errors={errors} field="catalogSyncCron" />
        </label>
        <label className="text-sm">
          Status page models (Bedrock ids; empty: every enabled model)
          <input className={input} value={models} onChange={(e) => setModels(e.target.value)} data-testid="status-models" />
        </label>
        <div className="flex flex-wrap items-center gap-3 md:col-span-2">
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={s.statusPagePublic} onChange={(e) => save.mutate({ statusPagePublic: e.target.checked })} disabled={save.isPending} data-testid="status-public" />
            Public status page and badges (read-only, no sign-in):{" "}
            <a className="text-sky-700 hover:underline dark:text-sky-400" href="/status">
              /status
            </a>
          </label>
          <Button type="submit" variant="primary" disabled={save.isPending} className="ml-auto">
            Save
          </Button>
        </div>
      </form>
    </section>
  );
}
