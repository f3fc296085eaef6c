"use client";

import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/query-keys";

type HealthReport = { status: "ok" | "degraded"; down: string[]; bedrockSilent?: { region: string; seconds: number }[] };

async function fetchHealth(): Promise<HealthReport> {
  const res = await fetch("/api/health", { cache: "no-store" });
  // 503 still carries a report naming what is down.
  return (await res.json()) as HealthReport;
}

export function SystemStatus() {
  const { data, isError } = useQuery({ queryKey: queryKeys.health, queryFn: fetchHealth, refetchInterval: 5_000 });
  const silent = data?.bedrockSilent ?? [];
  const label = isError
    ? "Status unknown"
    : !data
      ? "Checking…"
      : data.status !== "ok"
        ? `Degraded: ${data.down.join(", ")} not answering`
        : silent.length
          ? `Bedrock not answering in ${silent[0]!.region} for ${silent[0]!.seconds} s${silent.length > 1 ? ` (and ${silent.length - 1} more Region${silent.length > 2 ? "s" : ""})` : ""}`
          : "All systems operational";
  // Green only when all is known to be well: unknown is grey, trouble amber.
  const tone = isError || !data ? "bg-slate-400" : data.status === "ok" && !silent.length ? "bg-emerald-500" : "bg-amber-500";
  return (
    <span role="status" className="inline-flex items-center gap-2 text-xs text-slate-600 dark:text-slate-300" data-testid="system-status">
      <span aria-hidden className={`h-2 w-2 rounded-full ${tone}`} />
      {label}
    </span>
  );
}
