import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { JobPage } from "@/components/jobs/job-page";
import { prisma } from "@/lib/db/client";

export const metadata: Metadata = { title: "Job" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!(await prisma.certificationJob.findUnique({ where: { id }, select: { id: true } }))) notFound();
  return <JobPage jobId={id} />;
}
