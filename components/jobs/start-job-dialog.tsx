"use client";
// Starting a certification: the job type, the models (searchable, "all"), the
// Regions (grouped by geography, a whole group at once) and the config (which
// tests, thresholds). Checked in the browser with the same zod schema the API
// uses; the server's field errors land beside the same fields.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useDeferredValue, useMemo, useState, type ReactNode } from "react";
import { toast } from "sonner";
import { JOB_TYPE_LABEL } from "./job-bits";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { MultiSelect } from "@/components/ui/multi-select";
import type { AvailabilityCounts } from "@/lib/certification/availability";
import { ALL_TESTS } from "@/lib/certification/config";
import { startJobInputSchema } from "@/lib/certification/job-input";
import type { Grid } from "@/lib/certification/matrix-types";
import { startJobAction } from "@/app/actions";
import { api, ApiError, fromAction, type FieldError } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";

type JobType = "SINGLE_MODEL" | "MULTIPLE_MODELS" | "ALL_MODELS" | "RECERTIFY";
const TYPES: { value: JobType; hint: string }[] = [
  { value: "SINGLE_MODEL", hint: "one model in the chosen Regions" },
  { value: "MULTIPLE_MODELS", hint: "the chosen models in the chosen Regions" },
  { value: "ALL_MODELS", hint: "every enabled model in the chosen Regions" },
  { value: "RECERTIFY", hint: "cells that failed, or that are stale" },
];
const THRESHOLDS = [
  { key: "passScore", label: "Pass score (0-100)", initial: 70 },
  { key: "maxLatencyMs", label: "Max latency (ms)", initial: 15_000 },
  { key: "maxTimeToFirstTokenMs", label: "Max time to first token (ms)", initial: 5_000 },
  { key: "minTokensPerSecond", label: "Min tokens per second", initial: 5 },
] as const;

const input = "mt-1 w-full rounded-md border bg-white px-2 py-1.5 text-sm dark:bg-slate-950";

function Field({ label, error, id, children }: { label: string; error?: string; id: string; children: ReactNode }) {
  return (
    <div>
      <div className="text-sm font-medium">{label}</div>
      {children}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-700 dark:text-red-400" data-testid={`error-${id}`}>
          {error}
        </p>
      )}
    </div>
  );
}

type Preset = { modelIds?: string[]; regions?: string[]; useInferenceProfiles?: boolean };

const n = (x: number) => x.toLocaleString("en-US");

// "3,894 pairs selected: 535 in-Region, 420 profile only (certified through
// profiles: no), 2,939 not offered — skipped, 13 legacy — skipped".
// What the tried pairs will cost, from the text battery's own plan (the
// dearest kind): reachability, five content tests × `samples`, max_tokens and
// a stream; short prompts (~100 input tokens) and answers (~40 output tokens).
// docs/bedrock.md, "What a job costs".
export function estimateCost(toCertify: number, samples = 2): string {
  const calls = toCertify * (3 + 5 * samples);
  const tokens = calls * 140;
  const k = (x: number) => (x >= 1_000_000 ? `${(x / 1_000_000).toFixed(1)} M` : x >= 1_000 ? `${Math.round(x / 1_000)} k` : String(x));
  return `about ${k(calls)} model calls and ${k(tokens)} tokens at most (text models; embeddings and images cost less)`;
}

export function describePlan(c: AvailabilityCounts, throughProfiles: boolean, confirm: boolean): string {
  if (c.total === 0) return "No pair selected";
  const parts = [`${n(c.inRegion)} in-Region`];
  const profileOnly = c.throughProfile + c.profileOnly;
  if (profileOnly) parts.push(`${n(profileOnly)} profile only (certified through profiles: ${throughProfiles ? "yes" : "no"})`);
  if (c.unknown) parts.push(`${n(c.unknown)} not synced yet — tried`);
  if (c.confirm || confirm) parts.push(`${n(c.confirm)} not offered — confirmed with AWS first`);
  if (c.notOffered) parts.push(`${n(c.notOffered)} not offered — skipped`);
  if (c.legacy) parts.push(`${n(c.legacy)} legacy — skipped`);
  if (c.unsupported) parts.push(`${n(c.unsupported)} not certifiable yet — skipped`);
  return `${n(c.total)} pair${c.total === 1 ? "" : "s"} selected: ${parts.join(", ")}.${c.toCertify ? ` Cost: ${estimateCost(c.toCertify)}.` : ""}`;
}

export function StartJobDialog({ open, onOpenChange, preset }: { open: boolean; onOpenChange: (open: boolean) => void; preset?: Preset }) {
  // The form is mounted only while the dialog is open: every opening starts
  // afresh, with its own Idempotency-Key.
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Start a certification" description="Each chosen model is certified in each chosen Region by the worker." wide>
      <StartJobForm onDone={() => onOpenChange(false)} preset={preset} />
    </Dialog>
  );
}

function StartJobForm({ onDone, preset }: { onDone: () => void; preset?: Preset }) {
  const router = useRouter();
  const grid = useQuery({ queryKey: queryKeys.grid, queryFn: () => api<Grid>("/api/v1/matrix/grid") });
  // A double click or a retried request starts one job.
  const [idempotencyKey] = useState(() => `ui-${crypto.randomUUID()}`);
  const [type, setType] = useState<JobType>("MULTIPLE_MODELS");
  const [modelIds, setModelIds] = useState<string[]>(preset?.modelIds ?? []);
  const [regions, setRegions] = useState<string[]>(preset?.regions ?? []);
  const [tests, setTests] = useState<string[]>([]);
  const [thresholds, setThresholds] = useState<Record<string, string>>(Object.fromEntries(THRESHOLDS.map((t) => [t.key, String(t.initial)])));
  const [useInferenceProfiles, setUseInferenceProfiles] = useState(preset?.useInferenceProfiles ?? false);
  const [confirmAvailability, setConfirmAvailability] = useState(false);
  const [recertifyMode, setRecertifyMode] = useState<"failed" | "stale">("failed");
  const [olderThanHours, setOlderThanHours] = useState("168");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [submitted, setSubmitted] = useState(false);

  const body = useMemo(() => {
    const config = {
      ...(tests.length ? { tests } : {}),
      thresholds: Object.fromEntries(THRESHOLDS.map((t) => [t.key, thresholds[t.key] === "" ? Number.NaN : Number(thresholds[t.key])])),
      useInferenceProfiles,
      confirmAvailability,
    };
    if (type === "ALL_MODELS") return { type, regions, config };
    if (type === "RECERTIFY")
      return {
        type,
        recertify: recertifyMode === "failed" ? { mode: "failed" } : { mode: "stale", olderThanHours: Number(olderThanHours) },
        ...(regions.length ? { regions } : {}),
        ...(modelIds.length ? { modelIds } : {}),
        config,
      };
    return { type, modelIds, regions, config };
  }, [type, modelIds, regions, tests, thresholds, useInferenceProfiles, confirmAvailability, recertifyMode, olderThanHours]);

  // Inline validation once the admin tried to submit, with the API's schema.
  const clientErrors = useMemo(() => {
    const parsed = startJobInputSchema.safeParse(body);
    return parsed.success ? [] : parsed.error.issues.map((i) => ({ field: i.path.join(".") || "(body)", reason: i.message }));
  }, [body]);
  const shown = submitted ? [...errors, ...clientErrors] : errors;
  const errorOf = (field: string) => shown.find((e) => e.field === field || e.field.startsWith(`${field}.`))?.reason;

  // What the job will be, by availability, with the numbers the job will show
  // (the server plans it with the same rule): asked as the selection settles.
  const previewBody = useDeferredValue(body);
  const previewValid = useMemo(() => startJobInputSchema.safeParse(previewBody).success, [previewBody]);
  const preview = useQuery({
    queryKey: queryKeys.jobPreview(previewBody),
    queryFn: () => api<AvailabilityCounts>("/api/v1/jobs/preview", { method: "POST", body: previewBody }),
    enabled: previewValid,
    staleTime: 10_000,
    retry: false,
  });

  // Start waits for the count: a job started while the dialog still says
  // "Counting pairs…" starts something its admin has not seen (issue 29).
  const counting = previewValid && (previewBody !== body || (!preview.data && !preview.isError) || preview.isFetching);

  const start = useMutation({
    mutationFn: () => fromAction(startJobAction(body, idempotencyKey)),
    onSuccess: ({ id }) => {
      toast.success("Certification job started");
      onDone();
      router.push(`/jobs/${id}`);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.fields.length) setErrors(err.fields);
      else toast.error("Could not start the job", { description: err instanceof Error ? err.message : undefined });
    },
  });
  const submit = () => {
    setSubmitted(true);
    setErrors([]);
    if (clientErrors.length === 0) start.mutate();
  };

  const models = grid.data?.models ?? [];
  const regionOptions = (grid.data?.regions ?? []).map((r) => ({ value: r.code, label: r.code, group: r.geography, hint: r.name }));
  const modelOptions = models.map((m) => ({ value: m.bedrockModelId, label: m.name, group: m.provider, hint: m.bedrockModelId.length > 28 ? undefined : m.bedrockModelId }));

  return (
    <form
      className="space-y-5"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      noValidate
      data-testid="start-job-form"
    >
      <fieldset>
        <legend className="text-sm font-medium">Job type</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-4">
          {TYPES.map((t) => (
            <label key={t.value} className={`cursor-pointer rounded-md border p-2 text-sm ${type === t.value ? "border-sky-700 bg-sky-50 dark:bg-sky-950" : "border-slate-300 dark:border-slate-700"}`}>
              <input type="radio" name="type" value={t.value} checked={type === t.value} onChange={() => setType(t.value)} className="mr-1.5" />
              <span className="font-medium">{JOB_TYPE_LABEL[t.value]}</span>
              <span className="mt-0.5 block text-xs text-slate-600 dark:text-slate-400">{t.hint}</span>
            </label>
          ))}
        </div>
      </fieldset>

      {type === "RECERTIFY" && (
        <div className="flex flex-wrap items-end gap-4">
          <label className="text-sm">
            Which cells
            <select className={`${input} border-slate-300 dark:border-slate-700`} value={recertifyMode} onChange={(e) => setRecertifyMode(e.target.value as "failed" | "stale")}>
              <option value="failed">Those whose certification failed</option>
              <option value="stale">Those older than …</option>
            </select>
          </label>
          {recertifyMode === "stale" && (
            <Field label="Older than (hours)" id="olderThanHours" error={errorOf("recertify.olderThanHours")}>
              <input
                className={`${input} w-32 border-slate-300 dark:border-slate-700`}
                inputMode="numeric"
                value={olderThanHours}
                onChange={(e) => setOlderThanHours(e.target.value)}
                aria-label="Older than (hours)"
              />
            </Field>
          )}
        </div>
      )}

      <div className="grid gap-4 sm:grid-cols-2">
        {type !== "ALL_MODELS" && (
          <Field label={type === "RECERTIFY" ? "Models (optional: narrows the cells)" : type === "SINGLE_MODEL" ? "Model" : "Models"} id="modelIds" error={errorOf("modelIds")}>
            <div className="mt-1">
              <MultiSelect
                label="Models"
                testId="job-models"
                searchable
                options={modelOptions}
                value={modelIds}
                onChange={setModelIds}
                placeholder={grid.isLoading ? "Loading…" : "None"}
                invalid={!!errorOf("modelIds")}
                describedBy={errorOf("modelIds") ? "modelIds-error" : undefined}
              />
            </div>
          </Field>
        )}
        <Field label={type === "RECERTIFY" ? "Regions (optional: narrows the cells)" : "Regions"} id="regions" error={errorOf("regions")}>
          <div className="mt-1">
            <MultiSelect
              label="Regions"
              testId="job-regions"
              searchable
              options={regionOptions}
              value={regions}
              onChange={setRegions}
              placeholder={grid.isLoading ? "Loading…" : "None"}
              invalid={!!errorOf("regions")}
              describedBy={errorOf("regions") ? "regions-error" : undefined}
            />
          </div>
        </Field>
      </div>

      <details className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
        <summary className="cursor-pointer text-sm font-medium">Configuration: tests and thresholds</summary>
        <div className="mt-3 space-y-4">
          <Field label="Tests (none chosen: every test of each model's battery)" id="tests" error={errorOf("config.tests")}>
            <div className="mt-1">
              <MultiSelect label="Tests" testId="job-tests" options={ALL_TESTS.map((t) => ({ value: t, label: t }))} value={tests} onChange={setTests} placeholder="All" />
            </div>
          </Field>
          <div className="grid gap-3 sm:grid-cols-4">
            {THRESHOLDS.map((t) => {
              const error = errorOf(`config.thresholds.${t.key}`);
              return (
                <Field key={t.key} label={t.label} id={`threshold-${t.key}`} error={error}>
                  <input
                    className={`${input} ${error ? "border-red-600" : "border-slate-300 dark:border-slate-700"}`}
                    inputMode="decimal"
                    value={thresholds[t.key]}
                    onChange={(e) => setThresholds({ ...thresholds, [t.key]: e.target.value })}
                    aria-label={t.label}
                    aria-invalid={!!error || undefined}
                    aria-describedby={error ? `threshold-${t.key}-error` : undefined}
                    data-testid={`threshold-${t.key}`}
                  />
                </Field>
              );
            })}
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={useInferenceProfiles} onChange={(e) => setUseInferenceProfiles(e.target.checked)} data-testid="use-profiles" />
            Certify profile-only cells through their cross-Region inference profile
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={confirmAvailability} onChange={(e) => setConfirmAvailability(e.target.checked)} />
            Confirm &ldquo;not offered&rdquo; pairs with AWS (GetFoundationModelAvailability) and certify those it now offers
          </label>
        </div>
      </details>

      {errorOf("(body)") && <p className="text-sm text-red-700 dark:text-red-400">{errorOf("(body)")}</p>}
      <div className="flex items-center justify-between gap-3">
        <p className="text-sm text-slate-700 dark:text-slate-300" aria-live="polite" data-testid="job-preview">
          {!previewValid
            ? "Choose what to certify"
            : preview.data
              ? describePlan(preview.data, useInferenceProfiles, confirmAvailability)
              : preview.isError
                ? preview.error instanceof ApiError && preview.error.fields[0]
                  ? preview.error.fields[0].reason
                  : "Could not count the pairs"
                : "Counting pairs…"}
        </p>
        <div className="flex gap-2">
          <Button onClick={onDone}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={start.isPending || counting} data-testid="start-job-submit">
            {start.isPending ? "Starting…" : counting ? "Counting…" : "Start certification"}
          </Button>
        </div>
      </div>
    </form>
  );
}
