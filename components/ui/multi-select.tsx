"use client";
// A searchable multi-select in a popover: options in groups (a whole group can
// be picked at once), "all" and "none", keyboard reachable (Radix popover,
// native checkboxes).
import * as Popover from "@radix-ui/react-popover";
import { useMemo, useState } from "react";

export type Option = { value: string; label: string; group?: string; hint?: string };

export function MultiSelect({
  label,
  options,
  value,
  onChange,
  placeholder = "Any",
  searchable = false,
  testId,
  invalid = false,
  describedBy,
}: {
  label: string;
  options: Option[];
  value: string[];
  onChange: (value: string[]) => void;
  placeholder?: string;
  searchable?: boolean;
  testId?: string;
  invalid?: boolean;
  describedBy?: string;
}) {
  const [query, setQuery] = useState("");
  const selected = useMemo(() => new Set(value), [value]);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? options.filter((o) => o.label.toLowerCase().includes(q) || o.value.toLowerCase().includes(q) || o.group?.toLowerCase().includes(q)) : options;
  }, [options, query]);
  const groups = useMemo(() => {
    const out = new Map<string, Option[]>();
    for (const o of shown) out.set(o.group ?? "", [...(out.get(o.group ?? "") ?? []), o]);
    return [...out];
  }, [shown]);
  const toggle = (values: string[], on: boolean) => {
    const next = new Set(selected);
    for (const v of values) {
      if (on) next.add(v);
      else next.delete(v);
    }
    // Keep the options' order, so URLs and requests are stable.
    onChange(options.filter((o) => next.has(o.value)).map((o) => o.value));
  };
  const summary =
    value.length === 0
      ? placeholder
      : value.length === 1
        ? (options.find((o) => o.value === value[0])?.label ?? value[0])
        : value.length === options.length
          ? `All (${value.length})`
          : `${value.length} selected`;

  return (
    <Popover.Root onOpenChange={(open) => !open && setQuery("")}>
      <Popover.Trigger
        data-testid={testId}
        aria-label={`${label}: ${summary}`}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        className={`inline-flex min-w-32 items-center justify-between gap-2 rounded-md border bg-white px-3 py-1.5 text-left text-sm dark:bg-slate-900 ${invalid ? "border-red-600" : "border-slate-300 dark:border-slate-700"}`}
      >
        <span className="truncate">
          <span className="text-slate-600 dark:text-slate-400">{label}:</span> {summary}
        </span>
        <span aria-hidden>▾</span>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="start" sideOffset={4} className="z-50 w-80 rounded-md border border-slate-200 bg-white p-2 shadow-lg dark:border-slate-700 dark:bg-slate-900">
          {searchable && (
            <input
              type="search"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              placeholder={`Search ${label.toLowerCase()}…`}
              aria-label={`Search ${label.toLowerCase()}`}
              className="mb-2 w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950"
            />
          )}
          <div className="mb-1 flex gap-2 text-xs">
            <button
              type="button"
              className="rounded px-1.5 py-0.5 text-sky-800 hover:bg-sky-50 dark:text-sky-300 dark:hover:bg-slate-800"
              onClick={() =>
                toggle(
                  shown.map((o) => o.value),
                  true,
                )
              }
            >
              {query ? "Select shown" : "Select all"}
            </button>
            <button
              type="button"
              className="rounded px-1.5 py-0.5 text-sky-800 hover:bg-sky-50 dark:text-sky-300 dark:hover:bg-slate-800"
              onClick={() =>
                query
                  ? toggle(
                      shown.map((o) => o.value),
                      false,
                    )
                  : onChange([])
              }
            >
              Clear
            </button>
          </div>
          <div className="max-h-72 overflow-y-auto" role="group" aria-label={label}>
            {groups.map(([group, opts]) => (
              <fieldset key={group} className="mb-1">
                {group && (
                  <legend className="flex w-full items-center justify-between px-1 pt-1 text-xs font-semibold text-slate-700 dark:text-slate-300">
                    <span>{group}</span>
                    <button
                      type="button"
                      className="font-normal text-sky-800 hover:underline dark:text-sky-300"
                      onClick={() =>
                        toggle(
                          opts.map((o) => o.value),
                          !opts.every((o) => selected.has(o.value)),
                        )
                      }
                      aria-label={`Select all of ${group}`}
                    >
                      {opts.every((o) => selected.has(o.value)) ? "none" : "all"}
                    </button>
                  </legend>
                )}
                {opts.map((o) => (
                  <label key={o.value} className="flex cursor-pointer items-center gap-2 rounded px-1 py-0.5 text-sm hover:bg-slate-50 dark:hover:bg-slate-800">
                    <input type="checkbox" checked={selected.has(o.value)} onChange={(e) => toggle([o.value], e.target.checked)} />
                    <span className="truncate">{o.label}</span>
                    {o.hint && <span className="ml-auto shrink-0 font-mono text-[11px] text-slate-600 dark:text-slate-400">{o.hint}</span>}
                  </label>
                ))}
              </fieldset>
            ))}
            {shown.length === 0 && <p className="px-1 py-2 text-sm text-slate-600 dark:text-slate-400">Nothing matches.</p>}
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
