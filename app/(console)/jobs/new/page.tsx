import type { Metadata } from "next";
import { randomUUID } from "node:crypto";
import { StartJobForm } from "@/components/jobs/start-job-form";
import { PageHeader } from "@/components/ui/states";
import { requireSignedIn } from "@/lib/auth/page-guard";
import { prisma } from "@/lib/db/client";

export const metadata: Metadata = { title: "Start a certification" };
export const dynamic = "force-dynamic";

// The start form as a page of its own: what "Start certification" leads to
// when JavaScript is off (with it on, the dialog opens instead).
export default async function NewJobPage() {
  const actor = await requireSignedIn();
  if (actor.role !== "admin") return <PageHeader title="Start a certification" description="Only an admin can start certifications." />;
  const [models, regions] = await Promise.all([
    prisma.aIModel.findMany({ where: { enabled: true, bedrockModelId: { not: null } }, select: { bedrockModelId: true, name: true, provider: true }, orderBy: [{ provider: "asc" }, { name: "asc" }] }),
    prisma.region.findMany({ where: { enabled: true }, select: { code: true, name: true }, orderBy: { code: "asc" } }),
  ]);
  return (
    <div>
      <PageHeader title="Start a certification" description="Pairs not offered, legacy or not certifiable are recorded as such without a call." />
      <StartJobForm models={models.map((m) => ({ ...m, bedrockModelId: m.bedrockModelId! }))} regions={regions} idempotencyKey={randomUUID()} />
    </div>
  );
}
