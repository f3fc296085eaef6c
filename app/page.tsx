import { SignOutButton } from "@/components/auth/sign-out-button";
import { requireSignedIn } from "@/lib/auth/page-guard";
import { prisma } from "@/lib/db/client";
import { getCatalogSummary } from "@/lib/catalog/summary";

export const dynamic = "force-dynamic";

function Stat({ label, value, hint }: { label: string; value: number; hint: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
      <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{hint}</p>
    </div>
  );
}

export default async function HomePage() {
  const actor = await requireSignedIn();
  const summary = await getCatalogSummary(prisma);
  return (
    <div className="space-y-8">
      <p className="flex items-center justify-end gap-3 text-xs text-slate-600 dark:text-slate-400">
        <span>
          Signed in as <strong>{actor.email}</strong> ({actor.role})
        </span>
        <SignOutButton />
      </p>
      <section aria-labelledby="overview-heading">
        <h1 id="overview-heading" className="text-2xl font-semibold tracking-tight">
          Model certification by Region
        </h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Does each Bedrock foundation model work in each AWS Region today, how well, and how fast.
        </p>
        <dl className="mt-6 grid grid-cols-2 gap-4 md:grid-cols-4">
          <Stat label="Models" value={summary.models.total} hint={`${summary.models.enabled} enabled · ${summary.models.providers} providers`} />
          <Stat label="Regions" value={summary.regions.total} hint={`${summary.regions.enabled} enabled`} />
          <Stat
            label="Certifications"
            value={summary.certifications.total}
            hint={`${summary.certifications.passed} passed · ${summary.certifications.failed} failed`}
          />
          <Stat label="Legacy certifications" value={summary.legacy.total} hint="Region-less, from the first release" />
        </dl>
      </section>

      {summary.legacy.total > 0 && (
        <section aria-labelledby="legacy-heading" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <h2 id="legacy-heading" className="text-sm font-semibold">
            Legacy certifications migration
          </h2>
          <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm" data-testid="legacy-status">
            {(
              [
                ["Migrated", summary.legacy.migrated + summary.legacy.replaced],
                ["Superseded", summary.legacy.superseded],
                ["Skipped", summary.legacy.skipped],
                ["Waiting", summary.legacy.waiting],
              ] as const
            ).map(([label, value]) => (
              <div key={label} className="flex gap-1.5">
                <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
                <dd className="font-semibold tabular-nums">{value}</dd>
              </div>
            ))}
          </dl>
          {summary.legacy.waiting > 0 && (
            <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
              Run <code>npm run migrate:legacy -- --dry-run</code>, then <code>npm run migrate:legacy</code> (docs/legacy-migration.md).
            </p>
          )}
        </section>
      )}

      <section aria-labelledby="regions-heading">
        <h2 id="regions-heading" className="text-lg font-semibold">
          Regions
        </h2>
        {summary.regions.total === 0 ? (
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
            No Regions yet. Run <code>npm run db:seed</code> to load the AWS Region table.
          </p>
        ) : (
          <ul className="mt-3 grid gap-3 md:grid-cols-3">
            {summary.regions.byGeography.map((group) => (
              <li key={group.geography} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
                <h3 className="text-sm font-medium">{group.geography}</h3>
                <p className="mt-1 font-mono text-xs text-slate-600 dark:text-slate-400">{group.codes.join(" · ")}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
