"use client";
// One model: where it is offered, its current result in every Region, and its
// score and latency over time per Region.
import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useMemo, useState } from "react";
import { StartJobDialog } from "@/components/jobs/start-job-dialog";
import { useCanEdit } from "@/components/layout/session-context";
import { age, cellTone, TONE_LABEL } from "@/components/matrix/grid-view";
import { TONE_CLASS } from "@/components/matrix/tones";
import { Button } from "@/components/ui/button";
import { MultiSelect } from "@/components/ui/multi-select";
import { EmptyState, ErrorState, Loading, PageHeader } from "@/components/ui/states";
import { api } from "@/lib/client/api";
import type { HistoryPoint } from "./history-chart";
import { TableHead } from "@/components/ui/table-head";
import { queryKeys } from "@/lib/client/query-keys";
import type { CatalogModel } from "./catalog-model";

// The chart library is only needed once the page is up.
const HistoryChart = dynamic(() => import("./history-chart").then((m) => m.HistoryChart), { ssr: false, loading: () => <Loading label="Loading the chart" /> });

type Certification = {
  region: string;
  status: string;
  passed: boolean | null;
  score: number | null;
  rating: string | null;
  errorCategory: string | null;
  availability: string | null;
  completedAt: string | null;
  duration: number | null;
};
// GET /api/v1/models/:id: the listed model with its availability and cells.
type Model = CatalogModel & {
  availability: { region: string; availability: string; legacy: boolean; profileIds: string[]; provisionedVariants?: string[] }[];
  certifications: Certification[];
};
const AVAILABILITY_LETTER: Record<string, string> = { IN_REGION: "I", PROFILE_ONLY: "P", NOT_OFFERED: "N" };

function latestFirst(points: HistoryPoint[]): string[] {
  const latest = new Map<string, number>();
  for (const p of points) latest.set(p.region, Math.max(latest.get(p.region) ?? 0, Date.parse(p.at)));
  return [...latest.entries()].sort((a, b) => b[1] - a[1]).map(([r]) => r);
}

// Nearest-rank percentiles of each Region's measured latency.
function latencyPercentiles(points: HistoryPoint[]): Map<string, { p50: number; p95: number; runs: number }> {
  const by = new Map<string, number[]>();
  for (const p of points) if (p.latencyMs != null) by.set(p.region, [...(by.get(p.region) ?? []), p.latencyMs]);
  const rank = (sorted: number[], q: number) => Math.round(sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!);
  return new Map(
    [...by].map(([r, xs]) => {
      const sorted = xs.sort((a, b) => a - b);
      return [r, { p50: rank(sorted, 0.5), p95: rank(sorted, 0.95), runs: sorted.length }];
    }),
  );
}

export function ModelPage({ modelId }: { modelId: string }) {
  const canEdit = useCanEdit();
  const [starting, setStarting] = useState(false);
  const [metric, setMetric] = useState<"score" | "latencyMs">("score");
  const model = useQuery({ queryKey: queryKeys.model(modelId), queryFn: () => api<Model>(`/api/v1/models/${encodeURIComponent(modelId)}`) });
  const history = useQuery({
    queryKey: queryKeys.modelHistory(modelId),
    queryFn: () => api<{ points: HistoryPoint[] }>(`/api/v1/models/${encodeURIComponent(modelId)}/history?days=90`).then((r) => r.points),
  });
  // Regions with runs, most recently run first; the chart starts with the
  // five latest of those where the model is offered (runs elsewhere are old).
  const historyRegions = useMemo(() => latestFirst(history.data ?? []), [history.data]);
  const latency = useMemo(() => latencyPercentiles(history.data ?? []), [history.data]);
  const [picked, setPicked] = useState<string[] | null>(null);
  const offered = new Set((model.data?.availability ?? []).filter((a) => a.availability !== "NOT_OFFERED" && !a.legacy).map((a) => a.region));
  const chartRegions = picked ?? [...historyRegions.filter((r) => offered.has(r)), ...historyRegions.filter((r) => !offered.has(r))].slice(0, 5);

  if (model.isLoading) return <Loading label="Loading the model" />;
  if (model.isError) return <ErrorState error={model.error} onRetry={() => void model.refetch()} />;
  const m = model.data!;
  const availabilityOf = new Map(m.availability.map((a) => [a.region, a]));
  // Regions where the model is offered or was tried; the rest in one line.
  const regions = [
    ...new Set([
      ...m.availability.filter((a) => a.availability !== "NOT_OFFERED").map((a) => a.region),
      ...m.certifications.filter((c) => c.passed !== null || c.availability !== "NOT_OFFERED").map((c) => c.region),
    ]),
  ].sort();
  const notOffered = m.availability
    .filter((a) => a.availability === "NOT_OFFERED" && !regions.includes(a.region))
    .map((a) => a.region)
    .sort();
  const certOf = new Map(m.certifications.map((c) => [c.region, c]));

  return (
    <div className="space-y-6">
      <PageHeader
        title={m.name}
        description={
          <>
            <Link href="/models" className="hover:underline">
              Models
            </Link>{" "}
            / {m.provider} · <code className="text-xs">{m.bedrockModelId ?? "no model id"}</code> · {m.inputModalities.join(", ").toLowerCase()} → {m.outputModalities.join(", ").toLowerCase()} ·{" "}
            {m.lifecycle.toLowerCase()} · {m.enabled ? "enabled" : "disabled"}
          </>
        }
        actions={
          canEdit &&
          m.bedrockModelId &&
          m.enabled && (
            <Button variant="primary" onClick={() => setStarting(true)} data-testid="certify-model">
              Certify this model
            </Button>
          )
        }
      />

      <section aria-labelledby="trend-heading" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-950">
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          <h2 id="trend-heading" className="text-lg font-semibold">
            Over the last 90 days
          </h2>
          <div className="flex flex-wrap items-center gap-2">
            <div role="radiogroup" aria-label="Metric" className="inline-flex overflow-hidden rounded-md border border-slate-300 text-sm dark:border-slate-700">
              {(["score", "latencyMs"] as const).map((k) => (
                <button
                  key={k}
                  type="button"
                  role="radio"
                  aria-checked={metric === k}
                  onClick={() => setMetric(k)}
                  className={`px-3 py-1 ${metric === k ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : ""}`}
                >
                  {k === "score" ? "Score" : "Latency"}
                </button>
              ))}
            </div>
            <MultiSelect label="Regions" value={chartRegions} onChange={setPicked} options={historyRegions.map((r) => ({ value: r, label: r }))} placeholder="None" />
          </div>
        </div>
        {history.isLoading ? (
          <Loading label="Loading history" />
        ) : history.isError ? (
          <ErrorState error={history.error} />
        ) : (history.data ?? []).length === 0 ? (
          <EmptyState title="No runs in the last 90 days" />
        ) : (
          <HistoryChart points={(history.data ?? []).filter((p) => chartRegions.includes(p.region))} metric={metric} regions={chartRegions} />
        )}
      </section>

      <section aria-labelledby="regions-heading">
        <h2 id="regions-heading" className="mb-2 text-lg font-semibold">
          By Region
        </h2>
        {regions.length === 0 ? (
          <EmptyState title="Not offered in any synced Region, and never certified" />
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-950">
            <table className="w-full text-left text-sm" data-testid="model-regions">
              <TableHead columns={["Region", "Offered", "Result", { label: "Score", align: "right" }, { label: "Latency p50 / p95 (90 days)", align: "right" }, "Certified", "Error"]} />
              <tbody>
                {regions.map((r) => {
                  const c = certOf.get(r) ?? null;
                  const a = availabilityOf.get(r);
                  const tone = cellTone(c, a?.legacy && a.availability !== "NOT_OFFERED" ? "L" : (AVAILABILITY_LETTER[a?.availability ?? ""] ?? "?"));
                  return (
                    <tr key={r} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                      <td className="px-3 py-1.5 font-mono text-xs">
                        <Link href={`/?cell=${m.id}~${r}`} className="hover:underline">
                          {r}
                        </Link>
                      </td>
                      <td className="px-3 py-1.5 text-xs">
                        {a ? (a.availability === "IN_REGION" ? "in Region" : a.availability === "PROFILE_ONLY" ? `profile only (${a.profileIds.join(", ")})` : "no") : "not synced"}
                        {a?.provisionedVariants?.length ? (
                          <div className="text-slate-600 dark:text-slate-400" data-testid={`provisioned-${r}`} title="Provisioned Throughput only: capacity you buy, not certified on demand">
                            provisioned throughput: {a.provisionedVariants.join(", ")}
                          </div>
                        ) : null}
                      </td>
                      <td className="px-3 py-1.5">
                        <span className={`rounded px-1.5 py-0.5 text-xs font-semibold ${TONE_CLASS[tone]}`}>{TONE_LABEL[tone]}</span>
                      </td>
                      <td className="px-3 py-1.5 text-right tabular-nums">{c?.score == null ? "–" : Math.round(c.score)}</td>
                      <td className="px-3 py-1.5 text-right text-xs tabular-nums" data-testid={`latency-${r}`}>
                        {latency.get(r) ? `${latency.get(r)!.p50} / ${latency.get(r)!.p95} ms (${latency.get(r)!.runs})` : "–"}
                      </td>
                      <td className="px-3 py-1.5 text-xs">{c ? age(c.completedAt) : "never"}</td>
                      <td className="px-3 py-1.5 font-mono text-xs">{c?.errorCategory ?? ""}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {notOffered.length > 0 && (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="not-offered-regions">
          Not offered in {notOffered.length} Region{notOffered.length === 1 ? "" : "s"}: {notOffered.join(", ")}.
        </p>
      )}
      {canEdit && m.bedrockModelId && <StartJobDialog open={starting} onOpenChange={setStarting} preset={{ modelIds: [m.bedrockModelId] }} />}
    </div>
  );
}
