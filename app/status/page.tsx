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
  running: "bg-sky-600 text-white",
  waiting: "bg-sky-100 text-sky-900",
  cancelled: "bg-slate-300 text-slate-900",
  "profile-only": "bg-violet-100 text-violet-900",
  legacy: "bg-stone-200 text-stone-800",
  unsupported: "bg-slate-100 text-slate-600",
  pending: "bg-slate-100 text-slate-600",
  "not-offered": "text-slate-400",
};
const GLYPH: Record<string, string> = { passed: "✓", failed: "✕", running: "…", waiting: "·", cancelled: "×", "profile-only": "P", legacy: "L", unsupported: "U", pending: "", "not-offered": "" };

// The legend, first and complete: every look a cell can have.
const LEGEND: [string, string][] = [
  ["passed", "passed"],
  ["failed", "failed"],
  ["running", "being certified now"],
  ["waiting", "waiting to be certified"],
  ["cancelled", "cancelled"],
  ["profile-only", "only through an inference profile, not certified"],
  ["legacy", "legacy, not certified"],
  ["unsupported", "no test battery for this kind of model yet"],
  ["pending", "offered, not certified yet"],
  ["not-offered", "not offered in the Region"],
];

// /status: public and read-only while an admin has it switched on (Settings);
// otherwise it does not exist.
export default async function StatusPage() {
  const settings = await readSettings(prisma, { catalogSyncCron: env.CATALOG_SYNC_CRON });
  if (!settings.statusPagePublic) notFound();
  const data = await statusPageData(prisma, settings.statusPageModels);
  // Two models of one name (two Nova Reels) are told apart by their ids.
  const counts = new Map<string, number>();
  for (const m of data.models) counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
  const sameName = new Set([...counts].filter(([, n]) => n > 1).map(([name]) => name));
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
      <ul className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-700 dark:text-slate-300" aria-label="Legend" data-testid="status-legend">
        {LEGEND.map(([verdict, label]) => (
          <li key={verdict} className="flex items-center gap-1">
            <span
              aria-hidden
              className={`inline-flex h-4 w-4 items-center justify-center rounded-sm ${TONE[verdict]} ${verdict === "not-offered" || verdict === "pending" ? "outline-1 -outline-offset-1 outline-slate-300 outline-dashed" : ""}`}
            >
              {GLYPH[verdict]}
            </span>
            {label}
          </li>
        ))}
      </ul>
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
                {/* A compact first column on a phone: the name, cut short, the provider only where there is room. */}
                <th
                  scope="row"
                  className="sticky left-0 max-w-[9rem] truncate bg-white px-2 py-0.5 text-left font-normal whitespace-nowrap sm:max-w-none dark:bg-slate-950"
                  title={`${m.name} (${m.bedrockModelId})`}
                >
                  {m.name}
                  {sameName.has(m.name) && <span className="text-slate-500"> ({m.bedrockModelId})</span>} <span className="hidden text-slate-500 sm:inline">{m.provider}</span>
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
        Badges: <code>/badge/&lt;model id&gt;/&lt;region&gt;.svg</code>, <code>/badge/&lt;model id&gt;.svg</code>.
      </p>
    </main>
  );
}
