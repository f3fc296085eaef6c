-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ModelLifecycle" AS ENUM ('ACTIVE', 'LEGACY');

-- CreateTable
CREATE TABLE "ai_models" (
    "id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "bedrock_model_id" TEXT,
    "input_modalities" TEXT[],
    "output_modalities" TEXT[],
    "streaming" BOOLEAN,
    "lifecycle" "ModelLifecycle" NOT NULL DEFAULT 'ACTIVE',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ai_models_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_certifications" (
    "id" SERIAL NOT NULL,
    "model_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL DEFAULT false,
    "score" DOUBLE PRECISION,
    "rating" TEXT,
    "test_results" TEXT,
    "error_message" TEXT,
    "certified_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "created_by" TEXT,

    CONSTRAINT "model_certifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ai_models_bedrock_model_id_key" ON "ai_models"("bedrock_model_id");

-- CreateIndex
CREATE INDEX "ai_models_provider_idx" ON "ai_models"("provider");

-- CreateIndex
CREATE INDEX "model_certifications_model_id_idx" ON "model_certifications"("model_id");
