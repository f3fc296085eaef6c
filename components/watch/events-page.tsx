"use client";
// The feed: what the product noticed, newest first — regressions, incidents
// opened and resolved, catalog changes (with before and after), finished jobs.
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorState, Loading, PageHeader } from "@/components/ui/states";
import { api } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";

type Change = { region: string; change: string; before: unknown; after: unknown };
type WatchEvent = {
  id: string;
  kind: string;
  summary: string;
  createdAt: string;
  region: string | null;
  subjectId: string | null;
  details: { changes?: Change[]; jobId?: string } | null;
  model: { id: string; name: string; bedrockModelId: string | null } | null;
};

const KIND_LABEL: Record<string, string> = {
  regression: "Regression",
  "incident.opened": "Incident opened",
  "incident.resolved": "Incident resolved",
  "catalog.change": "Catalog",
  "job.finished": "Job finished",
  "job.paused": "Job paused itself",
  test: "Test",
};
const KIND_TONE: Record<string, string> = {
  regression: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  "incident.opened": "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
  "incident.resolved": "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200",
  "catalog.change": "bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200",
};

const show = (v: unknown) => (v === null || v === undefined ? "—" : Array.isArray(v) ? v.join(", ") || "none" : String(v));

function link(e: WatchEvent): string | null {
  if ((e.kind === "job.finished" || e.kind === "job.paused") && e.subjectId) return `/jobs/${e.subjectId}`;
  if (e.kind === "regression" && e.details?.jobId) return `/jobs/${e.details.jobId}`;
  if (e.kind.startsWith("incident")) return "/incidents";
  if (e.model) return `/models/${e.model.id}`;
  return null;
}

export function EventsPage() {
  const [kind, setKind] = useState("");
  const params = kind ? `kind=${encodeURIComponent(kind)}` : "";
  const feed = useInfiniteQuery({
    queryKey: queryKeys.events(params),
    queryFn: ({ pageParam }) => api<{ events: WatchEvent[]; next: string | null }>(`/api/v1/events?${[params, pageParam ? `before=${encodeURIComponent(pageParam)}` : ""].filter(Boolean).join("&")}`),
    initialPageParam: "",
    getNextPageParam: (last) => last.next ?? undefined,
    refetchInterval: 15_000,
  });
  const events = feed.data?.pages.flatMap((p) => p.events) ?? [];

  return (
    <div className="space-y-4">
      <PageHeader
        title="Feed"
        description="What the product noticed on its own: regressions against a cell's history, incidents, catalog changes, finished jobs. Webhooks send the same events (Settings)."
        actions={
          <select
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
            value={kind}
            onChange={(e) => setKind(e.target.value)}
            aria-label="Kind"
            data-testid="feed-kind"
          >
            <option value="">Every kind</option>
            {Object.entries(KIND_LABEL).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        }
      />
      {feed.isLoading ? (
        <Loading label="Loading the feed" />
      ) : feed.isError ? (
        <ErrorState error={feed.error} onRetry={() => void feed.refetch()} />
      ) : events.length === 0 ? (
        <EmptyState title="Nothing noticed yet">Events appear as jobs finish, the catalog changes and cells regress.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-950" data-testid="feed">
          {events.map((e) => {
            const href = link(e);
            return (
              <li key={e.id} className="px-3 py-2 text-sm" data-testid={`event-${e.kind}`}>
                <div className="flex flex-wrap items-baseline gap-2">
                  <span className={`rounded px-1.5 text-xs font-medium ${KIND_TONE[e.kind] ?? "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300"}`}>
                    {KIND_LABEL[e.kind] ?? e.kind}
                  </span>
                  <span className="min-w-0 flex-1">
                    {href ? (
                      <Link className="hover:underline" href={href}>
                        {e.summary}
                      </Link>
                    ) : (
                      e.summary
                    )}
                  </span>
                  <time className="text-xs text-slate-600 tabular-nums dark:text-slate-400" dateTime={e.createdAt}>
                    {new Date(e.createdAt).toLocaleString()}
                  </time>
                </div>
                {e.kind === "catalog.change" && e.details?.changes?.length ? (
                  <details className="mt-1 text-xs">
                    <summary className="cursor-pointer text-slate-600 dark:text-slate-400">{e.details.changes.length} change(s), before → after</summary>
                    <ul className="mt-1 space-y-0.5 font-mono">
                      {e.details.changes.map((c, i) => (
                        <li key={i}>
                          {c.region} {c.change}: {show(c.before)} → {show(c.after)}
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {feed.hasNextPage && (
        <Button onClick={() => void feed.fetchNextPage()} disabled={feed.isFetchingNextPage}>
          {feed.isFetchingNextPage ? "Loading…" : "Older"}
        </Button>
      )}
    </div>
  );
}
