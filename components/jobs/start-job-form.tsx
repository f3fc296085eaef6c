"use client";
// The start form without the dialog: a plain form posted to a server action,
// so it works with JavaScript off (progressive enhancement). The server's
// field errors come back beside the fields; a started job opens its page.
import { useActionState } from "react";
import { startJobFormAction } from "@/app/actions";
import type { FieldError } from "@/lib/errors";

type Props = { models: { bedrockModelId: string; name: string; provider: string }[]; regions: { code: string; name: string }[]; idempotencyKey: string };

const box = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

function Errors({ fields, name }: { fields: FieldError[]; name: string }) {
  const mine = fields.filter((f) => f.field === name || f.field.startsWith(`${name}.`));
  if (!mine.length) return null;
  return (
    <span id={`${name}-error`} className="mt-1 block text-xs text-red-700 dark:text-red-400">
      {mine.map((f) => f.reason).join("; ")}
    </span>
  );
}

export function StartJobForm({ models, regions, idempotencyKey }: Props) {
  const [state, action, pending] = useActionState(startJobFormAction, null);
  const fields = state && !state.ok ? state.fields : [];
  const providers = [...new Set(models.map((m) => m.provider))];
  return (
    <form action={action} className="grid max-w-3xl gap-4" data-testid="start-job-form">
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      {state && !state.ok && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
          {state.message}
        </p>
      )}
      <label className="text-sm font-medium">
        Models <span className="font-normal text-slate-600 dark:text-slate-400">(none chosen: every enabled model)</span>
        <select name="modelIds" multiple size={12} className={box} aria-describedby="modelIds-error">
          {providers.map((p) => (
            <optgroup key={p} label={p}>
              {models
                .filter((m) => m.provider === p)
                .map((m) => (
                  <option key={m.bedrockModelId} value={m.bedrockModelId}>
                    {m.name} ({m.bedrockModelId})
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
        <Errors fields={fields} name="modelIds" />
      </label>
      <label className="text-sm font-medium">
        Regions
        <select name="regions" multiple size={12} className={box} aria-describedby="regions-error">
          {regions.map((r) => (
            <option key={r.code} value={r.code}>
              {r.code} — {r.name}
            </option>
          ))}
        </select>
        <Errors fields={fields} name="regions" />
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="useInferenceProfiles" /> Certify profile-only pairs through their inference profiles
      </label>
      <div>
        <button type="submit" disabled={pending} className="rounded-md bg-sky-700 px-3.5 py-2 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-60">
          {pending ? "Starting…" : "Start certification"}
        </button>
      </div>
    </form>
  );
}
