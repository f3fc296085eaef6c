import type { Metadata } from "next";
import { ApiTokens } from "@/components/settings/api-tokens";
import { AuditLog } from "@/components/settings/audit-log";
import { LegacyPanel } from "@/components/settings/legacy-panel";
import { PageHeader } from "@/components/ui/states";
import { WatchSettings } from "@/components/watch/watch-settings";
import { WebhooksPanel } from "@/components/watch/webhooks-panel";
import { requireSignedIn } from "@/lib/auth/page-guard";
import { getCatalogSummary } from "@/lib/catalog/summary";
import { prisma } from "@/lib/db/client";

export const metadata: Metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const [summary, session] = await Promise.all([getCatalogSummary(prisma), requireSignedIn()]);
  return (
    <div className="space-y-6">
      <PageHeader title="Settings" description="Your API tokens, how the product watches on its own (admins), webhooks, what admins changed, and the state of the data migration." />
      <ApiTokens />
      {session.role === "admin" && <WatchSettings />}
      {session.role === "admin" && <WebhooksPanel />}
      <AuditLog />
      {summary.legacy.total > 0 && <LegacyPanel legacy={summary.legacy} />}
    </div>
  );
}
