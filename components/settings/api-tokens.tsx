"use client";
// A user's API tokens for automation: created here (the token is shown once,
// only its hash is kept), listed with their last use, revoked. A token acts
// with its owner's role.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useActionState, useEffect, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState, ErrorState, Loading } from "@/components/ui/states";
import { createTokenAction, revokeTokenAction } from "@/app/actions";
import { authClient } from "@/lib/auth/client";
import { describeError, fromAction } from "@/lib/client/api";
import { TableHead } from "@/components/ui/table-head";
import { queryKeys } from "@/lib/client/query-keys";

type Token = { id: string; name: string | null; start: string | null; createdAt: string | Date; lastRequest: string | Date | null; expiresAt: string | Date | null };

async function unwrap<T>(p: Promise<{ data: T | null; error: { message?: string } | null }>): Promise<T> {
  const { data, error } = await p;
  if (error || !data) throw new Error(error?.message ?? "The request failed");
  return data;
}

const when = (d: string | Date | null) => (d ? new Date(d).toLocaleString() : "never");

export function ApiTokens() {
  const client = useQueryClient();
  // The result whose new token the user has put away ("Done").
  const [dismissed, setDismissed] = useState<unknown>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const tokens = useQuery({ queryKey: queryKeys.apiTokens, queryFn: () => unwrap(authClient.apiKey.list()).then((r) => (r as unknown as { apiKeys: Token[] }).apiKeys) });
  // A form action: it also works with JavaScript off; the server's field
  // errors land beside the fields.
  const [createState, createAction, creating] = useActionState(createTokenAction, null);
  useEffect(() => {
    if (createState?.ok) {
      void client.invalidateQueries({ queryKey: queryKeys.apiTokens });
      void client.invalidateQueries({ queryKey: queryKeys.audit });
    } else if (createState && !createState.fields.length) toast.error("Could not create the token", { description: createState.message });
  }, [createState, client]);
  const created = createState?.ok && dismissed !== createState ? createState.data.key : null;
  const nameError = createState && !createState.ok ? createState.fields.find((f) => f.field === "name")?.reason : undefined;
  const revoke = useMutation({
    mutationFn: (t: Token) => fromAction(revokeTokenAction(t.id)),
    onSuccess: () => {
      toast.success("Token revoked");
      setRevoking(null);
      void client.invalidateQueries({ queryKey: queryKeys.apiTokens });
      void client.invalidateQueries({ queryKey: queryKeys.audit });
    },
    onError: (err) => toast.error("Could not revoke the token", { description: describeError(err) }),
  });

  return (
    <section aria-labelledby="tokens-heading" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-950">
      <h2 id="tokens-heading" className="text-lg font-semibold">
        API tokens
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        For automation: send <code>Authorization: Bearer &lt;token&gt;</code> to <code>/api/v1</code>. A token acts with your role. See docs/API.md.
      </p>
      <form className="mt-4 flex flex-wrap items-end gap-3" action={createAction}>
        <label className="text-sm">
          Name
          <input
            key={createState?.ok ? createState.data.id : "new"}
            name="name"
            defaultValue=""
            required
            maxLength={64}
            placeholder="e.g. nightly QA"
            className="mt-1 block w-56 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
            data-testid="token-name"
            aria-invalid={!!nameError || undefined}
          />
          {nameError && <span className="mt-1 block text-xs text-red-700 dark:text-red-400">{nameError}</span>}
        </label>
        <label className="text-sm">
          Expires
          <select name="expiresInDays" defaultValue="90" className="mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900">
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="365">in a year</option>
            <option value="">never</option>
          </select>
        </label>
        <Button type="submit" variant="primary" disabled={creating} data-testid="create-token">
          {creating ? "Creating…" : "Create token"}
        </Button>
      </form>
      {created && (
        <div role="status" className="mt-4 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950">
          <p className="font-medium">Copy this token now: it is not shown again.</p>
          <div className="mt-2 flex items-center gap-2">
            <code className="block overflow-x-auto rounded bg-white px-2 py-1 dark:bg-slate-900" data-testid="new-token">
              {created}
            </code>
            <Button size="sm" onClick={() => void navigator.clipboard?.writeText(created).then(() => toast.success("Copied"))}>
              Copy
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setDismissed(createState)}>
              Done
            </Button>
          </div>
        </div>
      )}
      <div className="mt-4">
        {tokens.isLoading ? (
          <Loading label="Loading tokens" />
        ) : tokens.isError ? (
          <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />
        ) : (tokens.data ?? []).length === 0 ? (
          <EmptyState title="No tokens yet" />
        ) : (
          <table className="w-full text-left text-sm" data-testid="tokens-table">
            <TableHead
              variant="compact"
              columns={[
                "Name",
                "Starts with",
                "Created",
                "Last used",
                "Expires",
                <span key="actions" className="sr-only">
                  Actions
                </span>,
              ]}
            />
            <tbody>
              {tokens.data!.map((t) => (
                <tr key={t.id} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="py-1.5 pr-3">{t.name ?? "–"}</td>
                  <td className="py-1.5 pr-3 font-mono text-xs">{t.start ? `${t.start}…` : "–"}</td>
                  <td className="py-1.5 pr-3 text-xs">{when(t.createdAt)}</td>
                  <td className="py-1.5 pr-3 text-xs">{when(t.lastRequest)}</td>
                  <td className="py-1.5 pr-3 text-xs">{t.expiresAt ? when(t.expiresAt) : "never"}</td>
                  <td className="py-1.5 text-right">
                    <Button size="sm" variant="danger" onClick={() => setRevoking(t)}>
                      Revoke
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <ConfirmDialog
        open={!!revoking}
        onOpenChange={(o) => !o && setRevoking(null)}
        title={`Revoke “${revoking?.name ?? "token"}”?`}
        description="Anything using it stops working at once."
        confirmLabel="Revoke"
        pending={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      />
    </section>
  );
}
