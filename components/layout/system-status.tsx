"use client";

import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/query-keys";

type HealthReport = { status: "ok" | "degraded"; down: string[] };

async function fetchHealth(): Promise<HealthReport> {
  const res = await fetch("/api/health", { cache: "no-store" });
  // 503 still carries a report naming what is down.
  return (await res.json()) as HealthReport;
}

export function SystemStatus() {
  const { data, isError } = useQuery({ queryKey: queryKeys.health, queryFn: fetchHealth, refetchInterval: 15_000 });
  const label = isError ? "Status unknown" : !data ? "Checking…" : data.status === "ok" ? "All systems operational" : `Degraded: ${data.down.join(", ")} not answering`;
  const tone = data?.status === "ok" ? "bg-emerald-500" : data || isError ? "bg-amber-500" : "bg-slate-400";
  return (
    <span role="status" className="inline-flex items-center gap-2 text-xs text-slate-600 dark:text-slate-300">
      <span aria-hidden className={`h-2 w-2 rounded-full ${tone}`} />
      {label}
    </span>
  );
}
