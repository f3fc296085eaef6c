import type { CatalogSummary } from "@/lib/catalog/summary";

// Where the migration of the first release's Region-less certifications stands.
export function LegacyPanel({ legacy }: { legacy: CatalogSummary["legacy"] }) {
  return (
    <section aria-labelledby="legacy-heading" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-950">
      <h2 id="legacy-heading" className="text-lg font-semibold">
        Legacy certifications migration
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{legacy.total} Region-less certifications from the first release.</p>
      <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm" data-testid="legacy-status">
        {(
          [
            ["Migrated", legacy.migrated + legacy.replaced],
            ["Superseded", legacy.superseded],
            ["Skipped", legacy.skipped],
            ["Waiting", legacy.waiting],
          ] as const
        ).map(([label, value]) => (
          <div key={label} className="flex gap-1.5">
            <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
            <dd className="font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      {legacy.waiting > 0 && (
        <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
          Run <code>npm run migrate:legacy -- --dry-run</code>, then <code>npm run migrate:legacy</code> (docs/legacy-migration.md).
        </p>
      )}
    </section>
  );
}
