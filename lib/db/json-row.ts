import "server-only";
// Rows as JSON built by PostgreSQL, in the very shape a Prisma object of the
// same row takes through JSON.stringify: read endpoints that only pass rows on
// send PostgreSQL's text as it is. Prisma costs about 1 ms of the web
// process's CPU per query on top of the SQL (its query plan, then objects made
// and stringified again); a filtered page of certifications through it was
// 3 × its plain SQL, under load 8 deep (docs/API.md).
import { Prisma } from "@/lib/generated/prisma/client";

// A row's fields as the Prisma model names them, in its order (from the
// generated client), and which of them are DateTime. A field's column is its
// snake_case (the rule every @map of the schema follows). The parity test
// (tests/integration/json-row.test.ts) holds each shape to its model.
export type RowShape = { fields: readonly string[]; timestamps: readonly string[] };

export const CERTIFICATION_ROW: RowShape = {
  fields: Object.values(Prisma.ModelCertificationScalarFieldEnum),
  timestamps: ["startedAt", "completedAt", "createdAt", "updatedAt", "regressedAt"],
};

export const RUN_ROW: RowShape = {
  fields: Object.values(Prisma.CertificationRunScalarFieldEnum),
  timestamps: ["startedAt", "completedAt", "createdAt"],
};

export const WATCH_EVENT_ROW: RowShape = {
  fields: Object.values(Prisma.WatchEventScalarFieldEnum),
  timestamps: ["createdAt"],
};

const column = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// A timestamp(3) column (UTC, as Prisma writes it) as JSON.stringify writes a
// Date: ISO 8601, milliseconds, Z.
export const isoUtc = (expression: string) => `to_char(${expression}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// json_build_object('id', c.id, 'modelId', c.model_id, …) over `alias`, the
// fields in `omit` left out and `extra` (name → SQL) added at the end.
// (json_build_object takes at most 50 pairs.)
export function jsonRow(alias: string, shape: RowShape, options: { omit?: readonly string[]; extra?: Record<string, Prisma.Sql> } = {}): Prisma.Sql {
  const fields = shape.fields.filter((f) => !options.omit?.includes(f));
  const pairs = fields.map((f) => Prisma.raw(`'${f}', ${shape.timestamps.includes(f) ? isoUtc(`${alias}.${column(f)}`) : `${alias}.${column(f)}`}`));
  for (const [name, sql] of Object.entries(options.extra ?? {})) pairs.push(Prisma.sql`${Prisma.raw(`'${name}'`)}, ${sql}`);
  return Prisma.sql`json_build_object(${Prisma.join(pairs, ", ")})`;
}
