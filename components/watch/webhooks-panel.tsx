"use client";
// Webhook subscriptions (admin): a URL, a format (JSON or a Slack incoming
// webhook), filters; the signing secret shown once; "send test"; each
// subscription's deliveries with status, attempts and last error, replayable.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { createWebhookAction, deleteWebhookAction, replayDeliveryAction, testWebhookAction } from "@/app/actions";
import { Button } from "@/components/ui/button";
import { FieldErrorText, reasonFor } from "@/components/ui/field-error";
import { MultiSelect } from "@/components/ui/multi-select";
import { EmptyState, ErrorState, Loading } from "@/components/ui/states";
import { TableHead } from "@/components/ui/table-head";
import { api, ApiError, describeError, fromAction, type FieldError } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";

type Subscription = {
  id: string;
  name: string;
  url: string;
  format: string;
  eventKinds: string[];
  modelIds: string[];
  providers: string[];
  regions: string[];
  enabled: boolean;
  secretHint: string;
  failing: number;
};
type Delivery = {
  id: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  event: { kind: string; summary: string };
};
const KINDS = [
  { value: "regression", label: "Regression" },
  { value: "incident.opened", label: "Incident opened" },
  { value: "incident.resolved", label: "Incident resolved" },
  { value: "catalog.change", label: "Catalog change" },
  { value: "job.finished", label: "Job finished" },
  { value: "job.paused", label: "Job paused itself (credentials refused)" },
];
const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";
const list = (v: string) =>
  v
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

function Deliveries({ id }: { id: string }) {
  const client = useQueryClient();
  const deliveries = useQuery({
    queryKey: queryKeys.deliveries(id),
    queryFn: () => api<{ deliveries: Delivery[] }>(`/api/v1/webhooks/${id}/deliveries?limit=20`).then((r) => r.deliveries),
    refetchInterval: 5_000,
  });
  const replay = useMutation({
    mutationFn: (d: Delivery) => fromAction(replayDeliveryAction(d.id)),
    onSuccess: () => {
      toast.success("Sent again");
      void client.invalidateQueries({ queryKey: queryKeys.deliveries(id) });
    },
    onError: (err) => toast.error("Could not replay", { description: describeError(err) }),
  });
  if (deliveries.isLoading) return <Loading label="Loading deliveries" />;
  if (deliveries.isError) return <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} />;
  if (!deliveries.data!.length) return <p className="text-xs text-slate-600 dark:text-slate-400">No deliveries yet.</p>;
  return (
    <table className="w-full text-left text-xs" data-testid="deliveries-table">
      <TableHead variant="compact" columns={["When", "Event", "Status", { label: "Tries", align: "right" }, "Last answer", ""]} />
      <tbody>
        {deliveries.data!.map((d) => (
          <tr key={d.id} className="border-t border-slate-100 dark:border-slate-800" data-testid={`delivery-${d.status.toLowerCase()}`}>
            <td className="py-1 pr-3 tabular-nums">{new Date(d.createdAt).toLocaleString()}</td>
            <td className="py-1 pr-3">{d.event.kind}</td>
            <td className={`py-1 pr-3 font-medium ${d.status === "FAILED" ? "text-red-700 dark:text-red-400" : d.status === "DELIVERED" ? "text-emerald-700 dark:text-emerald-400" : ""}`}>
              {d.status.toLowerCase()}
            </td>
            <td className="py-1 pr-3 text-right tabular-nums">{d.attempts}</td>
            <td className="py-1 pr-3">{d.lastError ?? (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : "—")}</td>
            <td className="py-1 text-right">
              {d.status !== "PENDING" && (
                <Button size="sm" variant="ghost" onClick={() => replay.mutate(d)} disabled={replay.isPending}>
                  Replay
                </Button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function WebhooksPanel() {
  const client = useQueryClient();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [kinds, setKinds] = useState<string[]>(["incident.opened", "incident.resolved", "regression"]);
  const webhooks = useQuery({ queryKey: queryKeys.webhooks, queryFn: () => api<{ webhooks: Subscription[] }>("/api/v1/webhooks").then((r) => r.webhooks) });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: queryKeys.webhooks });
    void client.invalidateQueries({ queryKey: queryKeys.audit });
  };
  const create = useMutation({
    mutationFn: (body: unknown) => fromAction(createWebhookAction(body)),
    onSuccess: (s) => {
      setErrors([]);
      setSecret(s.secret);
      toast.success(`Subscribed "${s.name}"`);
      refresh();
    },
    onError: (err) => {
      setErrors(err instanceof ApiError ? err.fields : []);
      toast.error("Could not subscribe", { description: describeError(err) });
    },
  });
  const test = useMutation({
    mutationFn: (s: Subscription) => fromAction(testWebhookAction(s.id)).then(() => s),
    onSuccess: (s) => {
      toast.success("Test event queued");
      setOpen(s.id);
      void client.invalidateQueries({ queryKey: queryKeys.deliveries(s.id) });
    },
    onError: (err) => toast.error("Could not send a test", { description: describeError(err) }),
  });
  const remove = useMutation({
    mutationFn: (s: Subscription) => fromAction(deleteWebhookAction(s.id)),
    onSuccess: () => {
      toast.success("Subscription deleted");
      refresh();
    },
    onError: (err) => toast.error("Could not delete", { description: describeError(err) }),
  });
  const errorOf = (field: string) => reasonFor(errors, field);

  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    create.mutate({
      name: form.get("name"),
      url: form.get("url"),
      format: form.get("format"),
      eventKinds: kinds,
      modelIds: list(String(form.get("modelIds") ?? "")),
      providers: list(String(form.get("providers") ?? "")),
      regions: list(String(form.get("regions") ?? "")),
    });
  };

  return (
    <section aria-labelledby="webhooks-heading" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-950">
      <h2 id="webhooks-heading" className="text-lg font-semibold">
        Webhooks
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Events are POSTed as JSON (or as a Slack message), signed with <code>X-Certify-Signature: t=…,v1=HMAC-SHA256(secret, t.body)</code>, with the event id in <code>X-Certify-Event-Id</code>;
        retried with backoff. docs/monitoring.md shows how to verify them.
      </p>
      <form onSubmit={submit} className="mt-4 grid gap-3 md:grid-cols-3" data-testid="webhook-form">
        <label className="text-sm">
          Name
          <input name="name" className={input} required maxLength={100} placeholder="e.g. on-call channel" data-testid="webhook-name" />
          <FieldErrorText errors={errors} field="name" />
        </label>
        <label className="text-sm md:col-span-2">
          URL
          <input name="url" className={input} required placeholder="https://hooks.example.com/bedrock" data-testid="webhook-url" aria-invalid={!!errorOf("url") || undefined} />
          <FieldErrorText errors={errors} field="url" />
        </label>
        <label className="text-sm">
          Format
          <select name="format" className={input} defaultValue="json">
            <option value="json">JSON</option>
            <option value="slack">Slack incoming webhook</option>
          </select>
        </label>
        <div className="text-sm">
          <span>Events</span>
          <div className="mt-1">
            <MultiSelect label="Events" options={KINDS} value={kinds} onChange={setKinds} placeholder="Every kind" testId="webhook-kinds" />
          </div>
        </div>
        <label className="text-sm">
          Models (Bedrock ids; empty: all)
          <input name="modelIds" className={input} placeholder="anthropic.claude-3-haiku-20240307-v1:0" />
          <FieldErrorText errors={errors} field="modelIds" />
        </label>
        <label className="text-sm">
          Providers (empty: all)
          <input name="providers" className={input} placeholder="Anthropic, Meta" />
        </label>
        <label className="text-sm">
          Regions (empty: all)
          <input name="regions" className={input} placeholder="us-east-1 eu-west-1" />
          <FieldErrorText errors={errors} field="regions" />
        </label>
        <div className="flex items-end">
          <Button type="submit" variant="primary" disabled={create.isPending} data-testid="create-webhook">
            {create.isPending ? "Subscribing…" : "Subscribe"}
          </Button>
        </div>
      </form>
      {secret && (
        <div role="status" className="mt-4 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950">
          <p className="font-medium">The signing secret, shown once:</p>
          <div className="mt-2 flex items-center gap-2">
            <code className="block overflow-x-auto rounded bg-white px-2 py-1 dark:bg-slate-900" data-testid="webhook-secret">
              {secret}
            </code>
            <Button size="sm" variant="ghost" onClick={() => setSecret(null)}>
              Done
            </Button>
          </div>
        </div>
      )}
      <div className="mt-4">
        {webhooks.isLoading ? (
          <Loading label="Loading webhooks" />
        ) : webhooks.isError ? (
          <ErrorState error={webhooks.error} onRetry={() => void webhooks.refetch()} />
        ) : webhooks.data!.length === 0 ? (
          <EmptyState title="No webhooks yet" />
        ) : (
          <ul className="space-y-2" data-testid="webhooks-list">
            {webhooks.data!.map((s) => (
              <li key={s.id} className="rounded-md border border-slate-200 p-3 dark:border-slate-800" data-testid={`webhook-${s.name}`}>
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <span className="font-medium">{s.name}</span>
                  <code className="min-w-0 truncate text-xs text-slate-600 dark:text-slate-400">{s.url}</code>
                  <span className="text-xs">{s.format === "slack" ? "Slack" : "JSON"}</span>
                  <span className="text-xs text-slate-600 dark:text-slate-400">{s.eventKinds.length ? s.eventKinds.join(", ") : "every event"}</span>
                  {s.failing > 0 && <span className="rounded bg-red-100 px-1.5 text-xs text-red-900 dark:bg-red-900/40 dark:text-red-200">{s.failing} failed</span>}
                  <span className="ml-auto flex gap-1">
                    <Button size="sm" onClick={() => test.mutate(s)} disabled={test.isPending} data-testid="test-webhook">
                      Send test
                    </Button>
                    <Button size="sm" onClick={() => setOpen(open === s.id ? null : s.id)} aria-expanded={open === s.id}>
                      Deliveries
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => remove.mutate(s)} disabled={remove.isPending}>
                      Delete
                    </Button>
                  </span>
                </div>
                {open === s.id && (
                  <div className="mt-2">
                    <Deliveries id={s.id} />
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
