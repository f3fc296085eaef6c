"use client";
// Schedules: certifications that start on their own. Each shows when it fires
// next, what its last firing did (and its job), and can be run now, paused,
// resumed or deleted by an admin.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { changeScheduleAction, createScheduleAction, deleteScheduleAction, runScheduleAction } from "@/app/actions";
import { useCanEdit } from "@/components/layout/session-context";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState, ErrorState, Loading, PageHeader } from "@/components/ui/states";
import { TableHead } from "@/components/ui/table-head";
import { api, ApiError, describeError, fromAction, type FieldError } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { ScheduleForm, type ScheduleDraft } from "./schedule-form";

type Target = { models: { mode: string; providers?: string[]; kinds?: string[]; modelIds?: string[] }; regions: { mode: string; geographies?: string[]; regions?: string[] } };
type Schedule = {
  id: string;
  name: string;
  cron: string;
  timezone: string;
  target: Target;
  olderThanHours: number | null;
  paused: boolean;
  lastFiredAt: string | null;
  lastJobId: string | null;
  lastOutcome: string | null;
  nextFireTimes: string[];
  nextFiring?: { pairs: number; busy: number; fresh: number; capped: number };
};

function describeTarget(t: Target): string {
  const m = t.models;
  const models =
    m.mode === "all"
      ? "all models"
      : m.mode === "providers"
        ? m.providers!.join(", ")
        : m.mode === "kinds"
          ? `${m.kinds!.join(", ")} models`
          : `${m.modelIds!.length} model${m.modelIds!.length === 1 ? "" : "s"}`;
  const r = t.regions;
  const regions = r.mode === "all" ? "all Regions" : r.mode === "geographies" ? r.geographies!.join(", ") : r.regions!.length <= 3 ? r.regions!.join(", ") : `${r.regions!.length} Regions`;
  return `${models} × ${regions}`;
}

export function SchedulesPage() {
  const canEdit = useCanEdit();
  const router = useRouter();
  const client = useQueryClient();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [showForm, setShowForm] = useState(false);
  const [deleting, setDeleting] = useState<Schedule | null>(null);
  const schedules = useQuery({ queryKey: queryKeys.schedules, queryFn: () => api<{ schedules: Schedule[] }>("/api/v1/schedules").then((r) => r.schedules), refetchInterval: 30_000 });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: queryKeys.schedules });
    void client.invalidateQueries({ queryKey: queryKeys.audit });
  };
  const create = useMutation({
    mutationFn: (draft: ScheduleDraft) => fromAction(createScheduleAction(draft)),
    onSuccess: (s) => {
      toast.success(`Schedule "${s.name}" created`);
      setErrors([]);
      setShowForm(false);
      refresh();
    },
    onError: (err) => {
      setErrors(err instanceof ApiError ? err.fields : []);
      toast.error("Could not create the schedule", { description: describeError(err) });
    },
  });
  const change = useMutation({
    mutationFn: ({ s, paused }: { s: Schedule; paused: boolean }) => fromAction(changeScheduleAction(s.id, { paused })),
    onSuccess: (s) => {
      toast.success(`"${s.name}" ${s.paused ? "paused" : "resumed"}`);
      refresh();
    },
    onError: (err) => toast.error("Could not change the schedule", { description: describeError(err) }),
  });
  const run = useMutation({
    mutationFn: (s: Schedule) => fromAction(runScheduleAction(s.id)),
    onSuccess: (r) => {
      if (r.jobId) toast.success(r.outcome, { action: { label: "Open job", onClick: () => router.push(`/jobs/${r.jobId}`) } });
      else toast.info(r.outcome);
      refresh();
    },
    onError: (err) => toast.error("Could not run the schedule", { description: describeError(err) }),
  });
  const remove = useMutation({
    mutationFn: (s: Schedule) => fromAction(deleteScheduleAction(s.id)).then(() => s),
    onSuccess: (s) => {
      toast.success(`Schedule "${s.name}" deleted`);
      setDeleting(null);
      refresh();
    },
    onError: (err) => toast.error("Could not delete the schedule", { description: describeError(err) }),
  });

  return (
    <div className="space-y-4">
      <PageHeader
        title="Schedules"
        description="Certifications that start on their own. A firing only redoes cells older than the schedule's age, so a daily run does not redo fresh work."
        actions={
          canEdit && (
            <Button variant="primary" onClick={() => setShowForm((v) => !v)} data-testid="new-schedule">
              {showForm ? "Close" : "New schedule"}
            </Button>
          )
        }
      />
      {showForm && (
        <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-950">
          <ScheduleForm onSubmit={(d) => create.mutate(d)} pending={create.isPending} errors={errors} />
        </section>
      )}
      {schedules.isLoading ? (
        <Loading label="Loading schedules" />
      ) : schedules.isError ? (
        <ErrorState error={schedules.error} onRetry={() => void schedules.refetch()} />
      ) : (schedules.data ?? []).length === 0 ? (
        <EmptyState title="No schedules yet">{canEdit ? "Create one to certify on a timetable: every night, every hour, on weekdays." : "An admin can create one."}</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-950">
          <table className="w-full text-left text-sm" data-testid="schedules-table">
            <TableHead columns={["Schedule", "When", "What", "Next", "Last firing", ""]} />
            <tbody>
              {schedules.data!.map((s) => (
                <tr key={s.id} className="border-t border-slate-100 align-top dark:border-slate-800" data-testid={`schedule-${s.name}`}>
                  <td className="px-3 py-2">
                    <div className="font-medium">{s.name}</div>
                    {s.paused && <span className="rounded bg-slate-200 px-1.5 text-xs dark:bg-slate-800">paused</span>}
                  </td>
                  <td className="px-3 py-2">
                    <code className="text-xs">{s.cron}</code>
                    <div className="text-xs text-slate-600 dark:text-slate-400">{s.timezone}</div>
                  </td>
                  <td className="px-3 py-2">
                    {describeTarget(s.target)}
                    <div className="text-xs text-slate-600 dark:text-slate-400">{s.olderThanHours ? `cells older than ${s.olderThanHours} h` : "every pair"}</div>
                  </td>
                  <td className="px-3 py-2 text-xs tabular-nums" data-testid="next-fire-times">
                    {s.paused ? "—" : s.nextFireTimes.map((t) => <div key={t}>{new Date(t).toLocaleString()}</div>)}
                    {!s.paused && s.nextFiring && (
                      <p className="mt-1 text-slate-600 dark:text-slate-400" data-testid="next-firing">
                        would queue {s.nextFiring.pairs} pairs
                        {s.nextFiring.busy > 0 && `, ${s.nextFiring.busy} already queued or running`}
                        {s.nextFiring.capped > 0 && `, ${s.nextFiring.capped} left for later (cap)`}
                      </p>
                    )}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {s.lastFiredAt ? (
                      <>
                        <div>{new Date(s.lastFiredAt).toLocaleString()}</div>
                        <div className="text-slate-600 dark:text-slate-400">
                          {s.lastOutcome}
                          {s.lastJobId && (
                            <>
                              {" "}
                              <Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/jobs/${s.lastJobId}`}>
                                job
                              </Link>
                            </>
                          )}
                        </div>
                      </>
                    ) : (
                      "never"
                    )}
                  </td>
                  <td className="px-3 py-2">
                    {canEdit && (
                      <div className="flex flex-wrap justify-end gap-1">
                        <Button size="sm" onClick={() => run.mutate(s)} disabled={run.isPending} data-testid="run-schedule">
                          Run now
                        </Button>
                        <Button size="sm" onClick={() => change.mutate({ s, paused: !s.paused })} disabled={change.isPending} data-testid="pause-schedule">
                          {s.paused ? "Resume" : "Pause"}
                        </Button>
                        <Button size="sm" variant="ghost" onClick={() => setDeleting(s)}>
                          Delete
                        </Button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={`Delete "${deleting?.name}"?`}
        description="It stops firing. Jobs it started and their results stay."
        confirmLabel="Delete"
        pending={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
      />
    </div>
  );
}
