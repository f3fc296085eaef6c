// A model is named, everywhere (API paths, job inputs, the console), by its
// catalog id or its Bedrock model id: one rule, here.
import type { Prisma } from "@/lib/generated/prisma/client";

export const modelRefWhere = (ref: string): Prisma.AIModelWhereInput => ({ OR: [{ id: ref }, { bedrockModelId: ref }] });

export const modelRefsWhere = (refs: string[]): Prisma.AIModelWhereInput => ({ OR: [{ id: { in: refs } }, { bedrockModelId: { in: refs } }] });

export const isModelRef = (model: { id: string; bedrockModelId: string | null }, ref: string): boolean => model.id === ref || model.bedrockModelId === ref;
