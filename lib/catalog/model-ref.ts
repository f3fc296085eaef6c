// A model is named, everywhere (API paths, job inputs, the console), by its
// catalog id or its Bedrock model id: one rule, here.
import { Prisma } from "@/lib/generated/prisma/client";

export const modelRefWhere = (ref: string): Prisma.AIModelWhereInput => ({ OR: [{ id: ref }, { bedrockModelId: ref }] });

export const modelRefsWhere = (refs: string[]): Prisma.AIModelWhereInput => ({ OR: [{ id: { in: refs } }, { bedrockModelId: { in: refs } }] });

export const isModelRef = (model: { id: string; bedrockModelId: string | null }, ref: string): boolean => model.id === ref || model.bedrockModelId === ref;

// The same rule in SQL, for statements that find the model themselves: at most
// one row (id, bedrock_model_id, name, provider), the catalog id first should
// one model's id be another's Bedrock id.
export const modelByRefSql = (ref: string): Prisma.Sql =>
  Prisma.sql`SELECT id, bedrock_model_id, name, provider FROM ai_models WHERE id = ${ref} OR bedrock_model_id = ${ref} ORDER BY id = ${ref} DESC LIMIT 1`;
