"use client";
// The latest admin actions: who did what, when, from where, and how (session
// or API token).
import { useQuery } from "@tanstack/react-query";
import { TableHead } from "@/components/ui/table-head";
import { EmptyState, ErrorState, Loading } from "@/components/ui/states";
import { api } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";

type Entry = { id: string; actorEmail: string; via: string; action: string; target: string | null; ip: string | null; createdAt: string; details: { status?: number } | null };

export function AuditLog() {
  const entries = useQuery({ queryKey: queryKeys.audit, queryFn: () => api<{ entries: Entry[] }>("/api/v1/audit?limit=50").then((r) => r.entries) });
  return (
    <section aria-labelledby="audit-heading" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-950">
      <h2 id="audit-heading" className="text-lg font-semibold">
        Admin actions
      </h2>
      <p className="mt-1 mb-3 text-sm text-slate-600 dark:text-slate-400">The 50 latest changes, from the console or the API (also GET /api/v1/audit).</p>
      {entries.isLoading ? (
        <Loading label="Loading admin actions" />
      ) : entries.isError ? (
        <ErrorState error={entries.error} onRetry={() => void entries.refetch()} />
      ) : entries.data!.length === 0 ? (
        <EmptyState title="No admin action yet" />
      ) : (
        <div className="max-h-96 overflow-y-auto">
          <table className="w-full text-left text-sm" data-testid="audit-table">
            <TableHead variant="compact" columns={["When", "Who", "Action", "Target", "From"]} />
            <tbody>
              {entries.data!.map((e) => (
                <tr key={e.id} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="py-1 pr-3 text-xs whitespace-nowrap">{new Date(e.createdAt).toLocaleString()}</td>
                  <td className="py-1 pr-3 text-xs">
                    {e.actorEmail} <span className="text-slate-600 dark:text-slate-400">({e.via})</span>
                  </td>
                  <td className="py-1 pr-3 font-mono text-xs">{e.action}</td>
                  <td className="py-1 pr-3 font-mono text-xs break-all">{e.target ?? "–"}</td>
                  <td className="py-1 pr-3 font-mono text-xs">{e.ip ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
