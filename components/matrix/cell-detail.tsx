"use client";
// One cell: its per-test results and timings, the error with what to do next,
// its run history, and (for admins) a button to certify it again.
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useCanEdit } from "@/components/layout/session-context";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorState, Loading } from "@/components/ui/states";
import { adviceNotInMessage, ERROR_CATEGORIES } from "@/lib/bedrock/error-categories";
import { startJobAction } from "@/app/actions";
import { api, ApiError, describeError, fromAction } from "@/lib/client/api";
import type { ErrorCategory } from "@/lib/generated/prisma/enums";
import { CAPABILITY_LABEL, type Capability } from "@/lib/certification/capabilities";
import { cellVerdict, NEUTRAL_VERDICTS } from "@/lib/certification/verdict";
import { age, cellTone, TONE_LABEL } from "./grid-view";
import { TONE_CLASS } from "./tones";
import { TableHead } from "@/components/ui/table-head";
import { queryKeys } from "@/lib/client/query-keys";

type TestResult = {
  name: string;
  outcome: string;
  latencyMs: number | null;
  detail: string;
  errorCategory?: string;
  metrics?: Record<string, number>;
  adapted?: string[];
  transcript?: { prompt: string; answer: string }[];
};
type Certification = {
  status: string;
  passed: boolean | null;
  score: number | null;
  rating: string | null;
  errorMessage: string | null;
  errorCategory: ErrorCategory | null;
  availability: string | null;
  completedAt: string | null;
  duration: number | null;
  jobId: string | null;
  createdBy: string | null;
  testResults: { via?: string; invokedId?: string | null; throttles?: number; drift?: string; capabilities?: Record<string, string>; tests?: TestResult[] } | null;
};
type Run = {
  id: string;
  status: string;
  passed: boolean | null;
  score: number | null;
  errorCategory: string | null;
  availability: string | null;
  completedAt: string | null;
  createdAt: string;
  duration: number | null;
  jobId: string | null;
};
type WatchEvent = { id: string; kind: string; summary: string; createdAt: string };
type CellResponse = { model: { id: string; bedrockModelId: string; name: string; provider: string }; certification: Certification; runs: Run[]; events?: WatchEvent[] };

const NEVER_CERTIFIED_NOTE: Record<string, string> = {
  N: "The model is not offered in this Region.",
  P: "It is reached through a cross-Region inference profile only.",
  L: "The catalog lists it as legacy here.",
  U: "This kind of model has no certification battery yet.",
};

const CAPABILITY_CLASS: Record<string, string> = {
  certified: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  broken: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  not_supported: "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  not_tried: "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
};

const OUTCOME_CLASS: Record<string, string> = {
  pass: "text-emerald-800 dark:text-emerald-300",
  fail: "text-red-700 dark:text-red-300",
  error: "text-red-700 dark:text-red-300",
  skipped: "text-slate-600 dark:text-slate-400",
};

export function CellDetail({ model, region, availability, onClose }: { model: { id: string; bedrockModelId: string; name: string }; region: string; availability: string; onClose: () => void }) {
  const canEdit = useCanEdit();
  const router = useRouter();
  const query = useQuery({
    queryKey: queryKeys.cell(model.id, region),
    queryFn: async () => {
      try {
        return await api<CellResponse>(`/api/v1/certifications/${encodeURIComponent(model.id)}/${region}`);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null; // never certified
        throw err;
      }
    },
  });
  const recertify = useMutation({
    mutationFn: () => fromAction(startJobAction({ type: "SINGLE_MODEL", modelIds: [model.bedrockModelId], regions: [region] })),
    onSuccess: ({ id }) => toast.success("Certification started", { description: `${model.name} in ${region}`, action: { label: "View job", onClick: () => router.push(`/jobs/${id}`) } }),
    onError: (err) => toast.error("Could not start the certification", { description: describeError(err) }),
  });
  const c = query.data?.certification;
  const tone = cellTone(
    c ? { status: c.status, passed: c.passed, score: c.score, rating: c.rating, errorCategory: c.errorCategory, completedAt: c.completedAt, availability: c.availability } : null,
    availability,
  );
  // Not tried because of its availability: said as a note, not as an error.
  const neutral = c ? NEUTRAL_VERDICTS.includes(cellVerdict(c)) : false;
  const category = c?.errorCategory ? ERROR_CATEGORIES[c.errorCategory] : null;
  const advice = c ? adviceNotInMessage(c.errorCategory, { modelId: model.bedrockModelId, region }, c.errorMessage) : null;

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title={`${model.name} in ${region}`} description={model.bedrockModelId} wide>
      {query.isLoading && <Loading label="Loading the certification" />}
      {query.isError && <ErrorState error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess && (
        <div className="space-y-5" data-testid="cell-detail">
          <div className="flex flex-wrap items-center gap-3">
            <span className={`rounded px-2 py-1 text-sm font-semibold ${TONE_CLASS[tone]}`}>{TONE_LABEL[tone]}</span>
            {c?.score != null && (
              <span className="text-sm">
                Score <strong className="tabular-nums">{Math.round(c.score)}</strong>/100
              </span>
            )}
            {c && (
              <span className="text-sm text-slate-600 dark:text-slate-400">
                certified {age(c.completedAt)}
                {c.duration != null && ` in ${(c.duration / 1000).toFixed(1)} s`}
                {c.createdBy && ` by ${c.createdBy}`}
              </span>
            )}
            {c?.testResults?.via && (
              <span className="text-sm text-slate-600 dark:text-slate-400">
                via {c.testResults.via}
                {c.testResults.invokedId && <code className="ml-1 text-xs">{c.testResults.invokedId}</code>}
              </span>
            )}
            {canEdit && (
              <Button variant="primary" size="sm" className="ml-auto" disabled={recertify.isPending} onClick={() => recertify.mutate()} data-testid="recertify">
                {recertify.isPending ? "Starting…" : "Certify again"}
              </Button>
            )}
          </div>

          {!c && <p className="text-sm text-slate-600 dark:text-slate-400">Never certified here. {NEVER_CERTIFIED_NOTE[availability] ?? ""}</p>}

          {c?.testResults?.drift && (
            <p
              role="note"
              className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
              data-testid="catalog-drift"
            >
              <strong>Catalog drift:</strong> {c.testResults.drift}
            </p>
          )}

          {neutral && c?.errorMessage && (
            <div role="note" className="rounded-md border border-slate-300 bg-slate-50 p-3 text-sm dark:border-slate-700 dark:bg-slate-900" data-testid="not-tried">
              <p className="font-semibold">
                Not tried: {category?.label ?? TONE_LABEL[tone]} {c.errorCategory && <code className="ml-1 text-xs font-normal">{c.errorCategory}</code>}
              </p>
              <p className="mt-1 text-slate-800 dark:text-slate-200">{c.errorMessage}</p>
              <p className="mt-1 text-slate-600 dark:text-slate-400">Not a failure: pairs that are not tried are left out of pass rates.</p>
            </div>
          )}

          {!neutral && c?.errorCategory && (
            <div role="note" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm dark:border-red-900 dark:bg-red-950">
              <p className="font-semibold text-red-900 dark:text-red-200">
                {category?.label ?? c.errorCategory} <code className="ml-1 text-xs font-normal">{c.errorCategory}</code>
              </p>
              {c.errorMessage && <p className="mt-1 text-red-900 dark:text-red-200">{c.errorMessage}</p>}
              {advice && (
                <p className="mt-2 text-slate-800 dark:text-slate-200">
                  <strong>What to do:</strong> {advice}
                </p>
              )}
            </div>
          )}

          {c?.testResults?.capabilities && Object.keys(c.testResults.capabilities).length > 0 && (
            <section>
              <h3 className="mb-2 text-sm font-semibold">Capabilities</h3>
              <ul className="flex flex-wrap gap-2 text-xs" data-testid="capabilities">
                {Object.entries(c.testResults.capabilities).map(([name, status]) => (
                  <li key={name} className={`rounded px-2 py-0.5 ${CAPABILITY_CLASS[status] ?? ""}`} data-capability={name} data-status={status}>
                    {CAPABILITY_LABEL[name as Capability] ?? name}: {status.replace("_", " ")}
                  </li>
                ))}
              </ul>
            </section>
          )}

          {c?.testResults?.tests?.length ? (
            <section>
              <h3 className="mb-2 text-sm font-semibold">Tests</h3>
              <table className="w-full text-left text-sm">
                <TableHead variant="compact" columns={["Test", "Outcome", { label: "Time", align: "right" }, "Detail"]} />
                <tbody>
                  {c.testResults.tests.map((t) => (
                    <tr key={t.name} className="border-t border-slate-100 align-top dark:border-slate-800">
                      <td className="py-1 pr-3 font-mono text-xs">{t.name}</td>
                      <td className={`py-1 pr-3 font-medium ${OUTCOME_CLASS[t.outcome] ?? ""}`}>{t.outcome}</td>
                      <td className="py-1 pr-3 text-right tabular-nums">{t.latencyMs == null ? "–" : `${Math.round(t.latencyMs)} ms`}</td>
                      <td className="py-1 text-xs text-slate-700 dark:text-slate-300">
                        {t.detail}
                        {t.metrics && (
                          <span className="ml-1 text-slate-600 dark:text-slate-400">
                            {Object.entries(t.metrics)
                              .map(([k, v]) => `${k} ${Math.round(v * 10) / 10}`)
                              .join(" · ")}
                          </span>
                        )}
                        {t.adapted?.map((a) => (
                          <span key={a} className="mt-0.5 block text-amber-800 dark:text-amber-300" data-testid="test-adapted">
                            Adapted: {a}
                          </span>
                        ))}
                        {t.transcript?.length ? (
                          <details className="mt-1" data-testid="test-transcript">
                            <summary className="cursor-pointer text-slate-600 dark:text-slate-400">Transcript ({t.transcript.length})</summary>
                            <ol className="mt-1 space-y-1">
                              {t.transcript.map((x, i) => (
                                <li key={i} className="rounded bg-slate-50 p-1 font-mono text-[11px] break-words dark:bg-slate-900">
                                  <div>
                                    <span className="font-semibold">Asked:</span> {x.prompt}
                                  </div>
                                  <div>
                                    <span className="font-semibold">Answered:</span> {x.answer || "(no text)"}
                                  </div>
                                </li>
                              ))}
                            </ol>
                          </details>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}

          {query.data?.events?.length ? (
            <section data-testid="cell-events">
              <h3 className="mb-2 text-sm font-semibold">Noticed</h3>
              <ul className="space-y-1 text-sm">
                {query.data.events.map((e) => (
                  <li key={e.id} className="flex gap-2">
                    <span
                      className={`shrink-0 rounded px-1.5 text-xs leading-5 font-medium ${e.kind === "regression" ? "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200" : "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300"}`}
                    >
                      {e.kind === "regression" ? "Regression" : "Catalog"}
                    </span>
                    <span className="min-w-0">
                      {e.summary} <span className="text-xs text-slate-500">{new Date(e.createdAt).toLocaleString()}</span>
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          {query.data?.runs.length ? (
            <section>
              <h3 className="mb-2 text-sm font-semibold">History ({query.data.runs.length} latest runs)</h3>
              <div className="max-h-60 overflow-y-auto">
                <table className="w-full text-left text-sm">
                  <TableHead variant="compact" columns={["When", "Verdict", { label: "Score", align: "right" }, { label: "Took", align: "right" }, "Category"]} />
                  <tbody>
                    {query.data.runs.map((r) => (
                      <tr key={r.id} className="border-t border-slate-100 dark:border-slate-800">
                        <td className="py-1 pr-3">{new Date(r.completedAt ?? r.createdAt).toLocaleString()}</td>
                        <td className="py-1 pr-3">
                          {r.jobId ? (
                            <Link className="hover:underline" href={`/jobs/${r.jobId}`}>
                              {cellVerdict(r)}
                            </Link>
                          ) : (
                            cellVerdict(r)
                          )}
                        </td>
                        <td className="py-1 pr-3 text-right tabular-nums">{r.score == null ? "–" : Math.round(r.score)}</td>
                        <td className="py-1 pr-3 text-right tabular-nums">{r.duration == null ? "–" : `${(r.duration / 1000).toFixed(1)} s`}</td>
                        <td className="py-1 font-mono text-xs">{r.errorCategory ?? ""}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ) : null}
        </div>
      )}
    </Dialog>
  );
}
