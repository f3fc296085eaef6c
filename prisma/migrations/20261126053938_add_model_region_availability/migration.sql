-- CreateEnum
CREATE TYPE "RegionAvailability" AS ENUM ('IN_REGION', 'PROFILE_ONLY', 'NOT_OFFERED');

-- AlterTable
ALTER TABLE "regions" ADD COLUMN     "catalog_synced_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "model_region_availability" (
    "model_id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "availability" "RegionAvailability" NOT NULL,
    "legacy" BOOLEAN NOT NULL DEFAULT false,
    "profile_ids" TEXT[],
    "synced_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "model_region_availability_pkey" PRIMARY KEY ("model_id","region")
);

-- CreateIndex
CREATE INDEX "model_region_availability_region_availability_idx" ON "model_region_availability"("region", "availability");

-- AddForeignKey
ALTER TABLE "model_region_availability" ADD CONSTRAINT "model_region_availability_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "ai_models"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_region_availability" ADD CONSTRAINT "model_region_availability_region_fkey" FOREIGN KEY ("region") REFERENCES "regions"("code") ON DELETE CASCADE ON UPDATE CASCADE;
