import "server-only";
// Reading certifications: one filter language for the list, the matrix and
// the exports (region, status, provider, rating, passed, stale-since, text),
// parsed with zod from query strings ("region=us-east-1,eu-west-1").
import { z } from "zod";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { CertificationRating, CertificationStatus, PairAvailability } from "@/lib/generated/prisma/enums";

export const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1).max(100));

// An ISO 8601 instant with its offset, in the years PostgreSQL and JavaScript
// both take without surprise.
export const instant = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .refine((d) => d.getUTCFullYear() >= 1970 && d.getUTCFullYear() <= 9999, "must be between 1970 and 9999");

export const certificationFilterSchema = z
  .object({
    region: csv(z.string().regex(/^[a-z]{2,4}(-[a-z]+)+-\d+$/, "not an AWS Region code")).optional(),
    status: csv(z.enum(Object.values(CertificationStatus) as [string, ...string[]])).optional(),
    provider: csv(z.string().min(1).max(100)).optional(),
    rating: csv(z.enum(Object.values(CertificationRating) as [string, ...string[]])).optional(),
    passed: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .optional(),
    // How the model is offered: IN_REGION, PROFILE_ONLY, NOT_OFFERED, LEGACY, UNSUPPORTED.
    availability: csv(z.enum(Object.values(PairAvailability) as [string, ...string[]])).optional(),
    // Cells not certified since this instant (or never).
    staleSince: instant.optional(),
    q: z.string().min(1).max(100).optional(),
  })
  .strict();

export type CertificationFilter = z.output<typeof certificationFilterSchema>;

export function certificationWhere(f: CertificationFilter): Prisma.ModelCertificationWhereInput {
  return {
    ...(f.region ? { region: { in: f.region } } : {}),
    ...(f.status ? { status: { in: f.status as CertificationStatus[] } } : {}),
    ...(f.rating ? { rating: { in: f.rating as CertificationRating[] } } : {}),
    ...(f.passed !== undefined ? { passed: f.passed } : {}),
    ...(f.availability ? { availability: { in: f.availability as PairAvailability[] } } : {}),
    ...(f.staleSince ? { OR: [{ completedAt: null }, { completedAt: { lt: f.staleSince } }] } : {}),
    ...(f.provider || f.q
      ? {
          model: {
            ...(f.provider ? { provider: { in: f.provider, mode: "insensitive" as const } } : {}),
            ...(f.q ? { OR: [{ name: { contains: f.q, mode: "insensitive" as const } }, { bedrockModelId: { contains: f.q, mode: "insensitive" as const } }] } : {}),
          },
        }
      : {}),
  };
}

const SORTS = { updated: "updatedAt", completed: "completedAt", score: "score", region: "region" } as const;
const NULLABLE = new Set(["completed", "score"]);
export const listQuerySchema = z.object({
  sort: z.enum(Object.keys(SORTS) as [keyof typeof SORTS, ...(keyof typeof SORTS)[]]).default("updated"),
  order: z.enum(["asc", "desc"]).default("desc"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().min(1).max(100).optional(),
});

// A page of certifications; `nextCursor` continues it (stable under equal sort keys: id breaks ties).
export async function listCertifications(db: PrismaClient, filter: CertificationFilter, page: z.output<typeof listQuerySchema>) {
  const rows = await db.modelCertification.findMany({
    where: certificationWhere(filter),
    // Cells never scored or finished sort last whichever the direction.
    orderBy: [{ [SORTS[page.sort]]: NULLABLE.has(page.sort) ? { sort: page.order, nulls: "last" } : page.order }, { id: page.order }],
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    omit: { testResults: true },
    include: { model: { select: { bedrockModelId: true, name: true, provider: true } } },
  });
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  return { items, nextCursor: more ? items.at(-1)!.id : null };
}
