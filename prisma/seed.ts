// `npm run db:seed` (also `npx prisma db seed`): the 33 commercial AWS Regions,
// the 120 Bedrock models of the bundled catalog, and the 20 legacy
// certifications of the first release. Safe to run again.
import { createPrismaClient } from "@/lib/db/client";
import { parseModelsCsv, parseRegionsCsv } from "@/lib/catalog/aws-tables";
import { seedCatalog, seedLegacyCertifications } from "@/lib/catalog/seed";
import { LEGACY_CERTIFICATIONS } from "./fixtures/legacy-certifications";

const db = createPrismaClient(undefined, 2);
try {
  const regions = parseRegionsCsv().filter((r) => r.partition === "aws");
  const models = parseModelsCsv();
  const report = await seedCatalog(db, { regions, models });
  const legacy = await seedLegacyCertifications(db, LEGACY_CERTIFICATIONS);
  console.log(
    `Seeded ${regions.length} Regions (${report.regions.created} new), ${models.length} models (${report.models.created} new), ` +
      `${legacy} legacy certifications (${LEGACY_CERTIFICATIONS.length - legacy} already present).`,
  );
} finally {
  await db.$disconnect();
}
