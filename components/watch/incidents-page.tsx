"use client";
// Incidents: a model failing in N of its offered Regions, or K models failing
// in one Region. Open ones first; each opens to the timeline of the pairs that
// opened, kept and closed it.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Fragment, useState } from "react";
import { EmptyState, ErrorState, Loading, PageHeader } from "@/components/ui/states";
import { TableHead } from "@/components/ui/table-head";
import { api } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";

type Incident = {
  id: string;
  scope: "model" | "region";
  subject: string;
  status: "OPEN" | "RESOLVED";
  failing: number;
  offered: number;
  openedAt: string;
  resolvedAt: string | null;
  model: { id: string; name: string; bedrockModelId: string | null; provider: string } | null;
};
type TimelineEntry = { at: string; modelId: string; region: string; passed: boolean; errorCategory: string | null; note: string };

const since = (from: string, to: string | null) => {
  const minutes = Math.max(1, Math.round(((to ? Date.parse(to) : Date.now()) - Date.parse(from)) / 60_000));
  return minutes < 120 ? `${minutes} min` : minutes < 2880 ? `${Math.round(minutes / 60)} h` : `${Math.round(minutes / 1440)} days`;
};

function Timeline({ id }: { id: string }) {
  const incident = useQuery({ queryKey: queryKeys.incident(id), queryFn: () => api<Incident & { timeline: TimelineEntry[] }>(`/api/v1/incidents/${id}`) });
  if (incident.isLoading) return <Loading label="Loading the timeline" />;
  if (incident.isError) return <ErrorState error={incident.error} onRetry={() => void incident.refetch()} />;
  return (
    <ol className="space-y-1 text-xs" data-testid="incident-timeline">
      {incident.data!.timeline.map((t, i) => (
        <li key={i} className="flex gap-2">
          <span className="shrink-0 text-slate-600 tabular-nums dark:text-slate-400">{new Date(t.at).toLocaleString()}</span>
          <span className={t.passed ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}>{t.passed ? "passed" : `failed ${t.errorCategory ?? ""}`}</span>
          <span className="font-mono">{t.region}</span>
          <span>{t.note}</span>
        </li>
      ))}
    </ol>
  );
}

export function IncidentsPage() {
  const [status, setStatus] = useState<"" | "OPEN" | "RESOLVED">("");
  const [open, setOpen] = useState<string | null>(null);
  const params = status ? `?status=${status}` : "";
  const incidents = useQuery({ queryKey: queryKeys.incidents(params), queryFn: () => api<{ incidents: Incident[] }>(`/api/v1/incidents${params}`).then((r) => r.incidents), refetchInterval: 15_000 });
  const openCount = (incidents.data ?? []).filter((i) => i.status === "OPEN").length;

  return (
    <div className="space-y-4">
      <PageHeader
        title="Incidents"
        description="Opened when a model fails in several of its offered Regions, or several models fail in one Region, within a window; resolved when the condition clears. Not-offered pairs never count."
        actions={
          <select
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
            value={status}
            onChange={(e) => setStatus(e.target.value as typeof status)}
            aria-label="Status"
          >
            <option value="">Open and resolved</option>
            <option value="OPEN">Open</option>
            <option value="RESOLVED">Resolved</option>
          </select>
        }
      />
      {incidents.isLoading ? (
        <Loading label="Loading incidents" />
      ) : incidents.isError ? (
        <ErrorState error={incidents.error} onRetry={() => void incidents.refetch()} />
      ) : (incidents.data ?? []).length === 0 ? (
        <EmptyState title={status === "RESOLVED" ? "No resolved incidents" : "No incidents"}>Every model is failing in fewer Regions than the thresholds (docs/monitoring.md).</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-950">
          <p className="px-3 pt-2 text-sm" role="status">
            {openCount} open
          </p>
          <table className="w-full text-left text-sm" data-testid="incidents-table">
            <TableHead columns={["Status", "What", "Failing", "Opened", "Duration", ""]} />
            <tbody>
              {incidents.data!.map((i) => (
                <Fragment key={i.id}>
                  <tr className="border-t border-slate-100 dark:border-slate-800" data-testid={`incident-${i.status.toLowerCase()}`}>
                    <td className="px-3 py-2">
                      <span
                        className={`rounded px-1.5 text-xs font-medium ${i.status === "OPEN" ? "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200" : "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200"}`}
                      >
                        {i.status === "OPEN" ? "Open" : "Resolved"}
                      </span>
                    </td>
                    <td className="px-3 py-2">
                      {i.scope === "model" ? (
                        <Link className="hover:underline" href={`/models/${i.subject}`}>
                          {i.model?.name ?? i.subject} <span className="font-mono text-xs text-slate-600 dark:text-slate-400">{i.model?.bedrockModelId}</span>
                        </Link>
                      ) : (
                        <span>
                          Region <span className="font-mono">{i.subject}</span>
                        </span>
                      )}
                    </td>
                    <td className="px-3 py-2 tabular-nums">
                      {i.failing} of {i.offered} {i.scope === "model" ? "Regions" : "models"}
                    </td>
                    <td className="px-3 py-2 text-xs">{new Date(i.openedAt).toLocaleString()}</td>
                    <td className="px-3 py-2 text-xs">{since(i.openedAt, i.resolvedAt)}</td>
                    <td className="px-3 py-2 text-right">
                      <button type="button" className="text-xs text-sky-700 hover:underline dark:text-sky-400" onClick={() => setOpen(open === i.id ? null : i.id)} aria-expanded={open === i.id}>
                        {open === i.id ? "Hide timeline" : "Timeline"}
                      </button>
                    </td>
                  </tr>
                  {open === i.id && (
                    <tr>
                      <td colSpan={6} className="bg-slate-50 px-3 py-2 dark:bg-slate-900">
                        <Timeline id={i.id} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
