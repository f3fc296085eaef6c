import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ModelPage } from "@/components/models/model-page";
import { prisma } from "@/lib/db/client";

export const metadata: Metadata = { title: "Model" };

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

// A model by its catalog id or its Bedrock model id; an unknown one is a 404 page.
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const raw = (await params).id;
  const id = safeDecode(raw);
  const model = await prisma.aIModel.findFirst({ where: { OR: [{ id }, { bedrockModelId: id }] }, select: { id: true } });
  if (!model) notFound();
  return <ModelPage modelId={id} />;
}
