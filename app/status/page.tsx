import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { readSettings } from "@/lib/watch/app-settings";
import { statusPageData } from "@/lib/watch/status-page";

export const metadata: Metadata = { title: "Status" };
export const dynamic = "force-dynamic";

const TONE: Record<string, string> = {
  passed: "bg-emerald-600 text-white",
  failed: "bg-red-700 text-white",
  running: "bg-sky-200 text-sky-950",
  cancelled: "bg-slate-300 text-slate-900",
  "profile-only": "bg-violet-100 text-violet-900",
  legacy: "bg-stone-200 text-stone-800",
  unsupported: "bg-slate-100 text-slate-600",
  pending: "bg-slate-100 text-slate-600",
  "not-offered": "text-slate-400",
};
const GLYPH: Record<string, string> = { passed: "✓", failed: "✕", running: "…", cancelled: "×", "profile-only": "P", legacy: "L", unsupported: "U", pending: "·", "not-offered": "" };

// /status: public and read-only while an admin has it switched on (Settings);
// otherwise it does not exist.
export default async function StatusPage() {
  const settings = await readSettings(prisma, { catalogSyncCron: env.CATALOG_SYNC_CRON });
  if (!settings.statusPagePublic) notFound();
  const data = await statusPageData(prisma, settings.statusPageModels);
  const failing = data.models.filter((m) => Object.values(m.cells).some((c) => c !== "not-offered" && c.verdict === "failed")).length;
  return (
    <main className="mx-auto max-w-screen-2xl space-y-6 px-4 py-6">
      <header>
        <h1 className="text-2xl font-semibold">Amazon Bedrock models, Region by Region</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          {data.incidents.length === 0 ? "No open incident." : `${data.incidents.length} open incident${data.incidents.length === 1 ? "" : "s"}.`} {failing} of {data.models.length} models failing
          somewhere. Updated {new Date(data.updatedAt).toUTCString()}.
        </p>
      </header>
      {data.incidents.length > 0 && (
        <section aria-labelledby="incidents" className="rounded-lg border border-red-200 bg-red-50 p-4 dark:border-red-900 dark:bg-red-950/40">
          <h2 id="incidents" className="font-semibold">
            Open incidents
          </h2>
          <ul className="mt-2 space-y-1 text-sm" data-testid="status-incidents">
            {data.incidents.map((i) => (
              <li key={i.id}>
                {i.scope === "model" ? `${i.name}: failing in ${i.failing} of ${i.offered} offered Regions` : `${i.name}: ${i.failing} of ${i.offered} models failing`} — since{" "}
                {new Date(i.openedAt).toUTCString()}
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="overflow-x-auto">
        <table className="text-xs" data-testid="status-matrix">
          <thead>
            <tr>
              <th scope="col" className="sticky left-0 bg-white px-2 py-1 text-left dark:bg-slate-950">
                Model
              </th>
              {data.regions.map((r) => (
                <th key={r} scope="col" className="px-0.5 py-1 font-mono font-normal [writing-mode:vertical-rl]">
                  {r}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.models.map((m) => (
              <tr key={m.id}>
                <th scope="row" className="sticky left-0 bg-white px-2 py-0.5 text-left font-normal whitespace-nowrap dark:bg-slate-950">
                  {m.name} <span className="text-slate-500">{m.provider}</span>
                </th>
                {data.regions.map((r) => {
                  const c = m.cells[r]!;
                  const verdict = c === "not-offered" ? "not-offered" : c.verdict;
                  const title = c === "not-offered" ? `${m.name} is not offered in ${r}` : `${m.name} in ${r}: ${verdict}${c.completedAt ? `, ${new Date(c.completedAt).toUTCString()}` : ""}`;
                  return (
                    <td key={r} title={title} aria-label={title} className={`h-5 w-5 text-center ${TONE[verdict]}`}>
                      {GLYPH[verdict]}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-slate-600 dark:text-slate-400">
        ✓ passed · ✕ failed · P through an inference profile only · L legacy · blank: not offered there. Badges: <code>/badge/&lt;model id&gt;/&lt;region&gt;.svg</code>,{" "}
        <code>/badge/&lt;model id&gt;.svg</code>.
      </p>
    </main>
  );
}
