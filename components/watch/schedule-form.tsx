"use client";
// A new schedule: when (cron in a time zone, its next fire times shown as the
// admin types), what (models and Regions), and how old a cell must be to be
// done again. The server checks everything again and names each bad field.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FieldErrorText, reasonFor } from "@/components/ui/field-error";
import { MultiSelect } from "@/components/ui/multi-select";
import { api, type FieldError } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";

type Model = { id: string; bedrockModelId: string | null; name: string; provider: string };
type Region = { code: string; name: string; geography: string };
const KINDS = ["text", "embedding", "image", "video", "speech", "rerank"] as const;
const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

export type ScheduleDraft = {
  name: string;
  cron: string;
  timezone: string;
  target: { models: Record<string, unknown>; regions: Record<string, unknown> };
  olderThanHours: number | null;
};

export function ScheduleForm({ onSubmit, pending, errors }: { onSubmit: (draft: ScheduleDraft) => void; pending: boolean; errors: FieldError[] }) {
  const models = useQuery({ queryKey: queryKeys.models, queryFn: () => api<{ models: Model[] }>("/api/v1/models").then((r) => r.models) });
  const regions = useQuery({ queryKey: queryKeys.regions, queryFn: () => api<{ regions: Region[] }>("/api/v1/regions").then((r) => r.regions) });
  const [name, setName] = useState("");
  const [cron, setCron] = useState("0 6 * * *");
  const [timezone, setTimezone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  const [modelMode, setModelMode] = useState<"all" | "providers" | "kinds" | "list">("all");
  const [providers, setProviders] = useState<string[]>([]);
  const [kinds, setKinds] = useState<string[]>(["text"]);
  const [modelIds, setModelIds] = useState<string[]>([]);
  const [regionMode, setRegionMode] = useState<"all" | "geographies" | "list">("all");
  const [geographies, setGeographies] = useState<string[]>([]);
  const [regionList, setRegionList] = useState<string[]>([]);
  const [olderThan, setOlderThan] = useState("24");
  const errorOf = (field: string) => reasonFor(errors, field);

  const providerOptions = [...new Set((models.data ?? []).map((m) => m.provider))].sort().map((p) => ({ value: p, label: p }));
  const modelOptions = (models.data ?? []).filter((m) => m.bedrockModelId).map((m) => ({ value: m.bedrockModelId!, label: m.name, group: m.provider, hint: m.bedrockModelId! }));
  const geographyOptions = [...new Set((regions.data ?? []).map((r) => r.geography))].sort().map((g) => ({ value: g, label: g }));
  const regionOptions = (regions.data ?? []).map((r) => ({ value: r.code, label: `${r.code} ${r.name}`, group: r.geography }));

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    onSubmit({
      name,
      cron,
      timezone,
      target: {
        models: modelMode === "all" ? { mode: "all" } : modelMode === "providers" ? { mode: "providers", providers } : modelMode === "kinds" ? { mode: "kinds", kinds } : { mode: "list", modelIds },
        regions: regionMode === "all" ? { mode: "all" } : regionMode === "geographies" ? { mode: "geographies", geographies } : { mode: "list", regions: regionList },
      },
      olderThanHours: olderThan ? Number(olderThan) : null,
    });
  };

  return (
    <form onSubmit={submit} className="grid gap-4 md:grid-cols-2" data-testid="schedule-form">
      <label className="text-sm">
        Name
        <input
          className={input}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={100}
          placeholder="e.g. nightly text models"
          data-testid="schedule-name"
          aria-invalid={!!errorOf("name") || undefined}
        />
        <FieldErrorText errors={errors} field="name" />
      </label>
      <div className="grid grid-cols-2 gap-2">
        <label className="text-sm">
          Cron
          <input
            className={`${input} font-mono`}
            value={cron}
            onChange={(e) => setCron(e.target.value)}
            required
            data-testid="schedule-cron"
            aria-invalid={!!errorOf("cron") || undefined}
            aria-describedby="cron-help"
          />
          <FieldErrorText errors={errors} field="cron" />
        </label>
        <label className="text-sm">
          Time zone
          <input className={input} value={timezone} onChange={(e) => setTimezone(e.target.value)} required data-testid="schedule-timezone" aria-invalid={!!errorOf("timezone") || undefined} />
          <FieldErrorText errors={errors} field="timezone" />
        </label>
        <p id="cron-help" className="col-span-2 text-xs text-slate-600 dark:text-slate-400">
          minute hour day month weekday — <code>0 6 * * *</code> every day at 06:00, <code>0 */4 * * 1-5</code> every 4 hours on weekdays.
        </p>
      </div>
      <fieldset className="text-sm">
        <legend className="font-medium">Models</legend>
        <select className={input} value={modelMode} onChange={(e) => setModelMode(e.target.value as typeof modelMode)} data-testid="schedule-model-mode">
          <option value="all">All enabled models</option>
          <option value="providers">By provider</option>
          <option value="kinds">By kind</option>
          <option value="list">Chosen models</option>
        </select>
        <div className="mt-2">
          {modelMode === "providers" && <MultiSelect label="Providers" options={providerOptions} value={providers} onChange={setProviders} placeholder="Choose providers" />}
          {modelMode === "kinds" && (
            <div className="flex flex-wrap gap-3">
              {KINDS.map((k) => (
                <label key={k} className="flex items-center gap-1">
                  <input type="checkbox" checked={kinds.includes(k)} onChange={(e) => setKinds(e.target.checked ? [...kinds, k] : kinds.filter((x) => x !== k))} /> {k}
                </label>
              ))}
            </div>
          )}
          {modelMode === "list" && <MultiSelect label="Models" options={modelOptions} value={modelIds} onChange={setModelIds} placeholder="Choose models" searchable testId="schedule-models" />}
        </div>
        <FieldErrorText errors={errors} field="target.models" />
      </fieldset>
      <fieldset className="text-sm">
        <legend className="font-medium">Regions</legend>
        <select className={input} value={regionMode} onChange={(e) => setRegionMode(e.target.value as typeof regionMode)} data-testid="schedule-region-mode">
          <option value="all">All enabled Regions</option>
          <option value="geographies">By geography</option>
          <option value="list">Chosen Regions</option>
        </select>
        <div className="mt-2">
          {regionMode === "geographies" && <MultiSelect label="Geographies" options={geographyOptions} value={geographies} onChange={setGeographies} placeholder="Choose geographies" />}
          {regionMode === "list" && (
            <MultiSelect label="Regions" options={regionOptions} value={regionList} onChange={setRegionList} placeholder="Choose Regions" searchable testId="schedule-regions" />
          )}
        </div>
        <FieldErrorText errors={errors} field="target.regions" />
      </fieldset>
      <label className="text-sm">
        Only cells older than (hours; empty: every pair, every time)
        <input className={input} type="number" min={1} max={8760} value={olderThan} onChange={(e) => setOlderThan(e.target.value)} data-testid="schedule-older-than" />
        <FieldErrorText errors={errors} field="olderThanHours" />
      </label>
      <div className="flex items-end">
        <Button type="submit" variant="primary" disabled={pending} data-testid="create-schedule">
          {pending ? "Creating…" : "Create schedule"}
        </Button>
      </div>
    </form>
  );
}
