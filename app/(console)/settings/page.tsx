import type { Metadata } from "next";
import { ApiTokens } from "@/components/settings/api-tokens";
import { AuditLog } from "@/components/settings/audit-log";
import { LegacyPanel } from "@/components/settings/legacy-panel";
import { PageHeader } from "@/components/ui/states";
import { getCatalogSummary } from "@/lib/catalog/summary";
import { prisma } from "@/lib/db/client";

export const metadata: Metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const summary = await getCatalogSummary(prisma);
  return (
    <div className="space-y-6">
      <PageHeader title="Settings" description="Your API tokens, what admins changed, and the state of the data migration." />
      <ApiTokens />
      <AuditLog />
      {summary.legacy.total > 0 && <LegacyPanel legacy={summary.legacy} />}
    </div>
  );
}
