// Compares a live PostgreSQL schema with the contract in schema-spec.ts.
// `inspectSchema` reads the catalog; `compareSchema` is pure, so its rules are
// unit-tested without a database.
import type { ClientBase } from "pg";
import { EXPECTED_ENUMS, EXPECTED_TABLES, type OnDelete, type TableSpec } from "./schema-spec";

export type SchemaSnapshot = {
  columns: Map<string, Map<string, string>>; // table -> column -> "type" or "type?"
  enums: Map<string, string[]>;
  indexes: { table: string; name: string; columns: string[]; unique: boolean; primary: boolean }[];
  foreignKeys: { table: string; name: string; columns: string[]; refTable: string; refColumns: string[]; onDelete: OnDelete }[];
};

export type Check = { ok: boolean; subject: string; detail: string };

const ON_DELETE: Record<string, OnDelete> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };

export async function inspectSchema(client: ClientBase): Promise<SchemaSnapshot> {
  const columns = await client.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string }>(
    `SELECT table_name, column_name, udt_name, is_nullable
       FROM information_schema.columns
      WHERE table_schema = current_schema()
      ORDER BY table_name, ordinal_position`,
  );
  const enums = await client.query<{ name: string; values: string[] }>(
    `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder)::text[] AS values
       FROM pg_type t
       JOIN pg_enum e ON e.enumtypid = t.oid
       JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema()
      GROUP BY t.typname
      ORDER BY t.typname`,
  );
  const indexes = await client.query<{ table: string; name: string; columns: string[]; unique: boolean; primary: boolean }>(
    `SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
            array(SELECT a.attname::text
                    FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                   ORDER BY k.ord)::text[] AS columns
       FROM pg_index ix
       JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema()
      ORDER BY t.relname, i.relname`,
  );
  const foreignKeys = await client.query<{ table: string; name: string; columns: string[]; ref_table: string; ref_columns: string[]; deltype: string }>(
    `SELECT cl.relname AS table, c.conname AS name, fcl.relname AS ref_table, c.confdeltype AS deltype,
            array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
            array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS ref_columns
       FROM pg_constraint c
       JOIN pg_class cl ON cl.oid = c.conrelid
       JOIN pg_class fcl ON fcl.oid = c.confrelid
       JOIN pg_namespace n ON n.oid = cl.relnamespace
      WHERE c.contype = 'f' AND n.nspname = current_schema()
      ORDER BY cl.relname, c.conname`,
  );

  const byTable = new Map<string, Map<string, string>>();
  for (const c of columns.rows) {
    const table = byTable.get(c.table_name) ?? new Map<string, string>();
    table.set(c.column_name, c.udt_name + (c.is_nullable === "YES" ? "?" : ""));
    byTable.set(c.table_name, table);
  }
  return {
    columns: byTable,
    enums: new Map(enums.rows.map((e) => [e.name, e.values])),
    indexes: indexes.rows,
    foreignKeys: foreignKeys.rows.map((f) => ({
      table: f.table,
      name: f.name,
      columns: f.columns,
      refTable: f.ref_table,
      refColumns: f.ref_columns,
      onDelete: ON_DELETE[String(f.deltype)] ?? "NO ACTION",
    })),
  };
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const list = (cols: string[]) => `(${cols.join(", ")})`;

export function compareSchema(snapshot: SchemaSnapshot, spec: { tables: Record<string, TableSpec>; enums: Record<string, string[]> } = { tables: EXPECTED_TABLES, enums: EXPECTED_ENUMS }): Check[] {
  const checks: Check[] = [];
  const check = (ok: boolean, subject: string, detail: string) => checks.push({ ok, subject, detail });

  for (const [name, values] of Object.entries(spec.enums)) {
    const actual = snapshot.enums.get(name);
    if (!actual) check(false, `enum ${name}`, "missing");
    else if (!sameList(actual, values)) check(false, `enum ${name}`, `values are [${actual.join(", ")}], expected [${values.join(", ")}]`);
    else check(true, `enum ${name}`, `${values.length} values`);
  }

  for (const [table, t] of Object.entries(spec.tables)) {
    const actualColumns = snapshot.columns.get(table);
    if (!actualColumns) {
      check(false, `table ${table}`, "missing");
      continue;
    }
    const problems: string[] = [];
    for (const [column, type] of Object.entries(t.columns)) {
      const actual = actualColumns.get(column);
      if (actual === undefined) problems.push(`column ${column} missing`);
      else if (actual !== type) problems.push(`column ${column} is ${actual}, expected ${type}`);
    }
    for (const column of actualColumns.keys()) {
      if (!(column in t.columns)) problems.push(`unexpected column ${column}`);
    }
    check(problems.length === 0, `table ${table}`, problems.length ? problems.join("; ") : `${actualColumns.size} columns`);

    const tableIndexes = snapshot.indexes.filter((i) => i.table === table);
    const pk = tableIndexes.find((i) => i.primary);
    check(!!pk && sameList(pk.columns, t.primaryKey), `primary key ${table}${list(t.primaryKey)}`, pk ? (sameList(pk.columns, t.primaryKey) ? pk.name : `is on ${list(pk.columns)}`) : "missing");
    for (const cols of t.unique ?? []) {
      const found = tableIndexes.find((i) => i.unique && !i.primary && sameList(i.columns, cols));
      check(!!found, `unique ${table}${list(cols)}`, found ? found.name : "missing");
    }
    for (const cols of t.indexes ?? []) {
      const found = tableIndexes.find((i) => !i.primary && sameList(i.columns, cols));
      check(!!found, `index ${table}${list(cols)}`, found ? found.name : "missing");
    }
    for (const fk of t.foreignKeys ?? []) {
      const subject = `foreign key ${table}${list(fk.columns)} -> ${fk.references.table}${list(fk.references.columns)}`;
      const found = snapshot.foreignKeys.find((f) => f.table === table && sameList(f.columns, fk.columns) && f.refTable === fk.references.table && sameList(f.refColumns, fk.references.columns));
      if (!found) check(false, subject, "missing");
      else check(found.onDelete === fk.onDelete, subject, found.onDelete === fk.onDelete ? `ON DELETE ${fk.onDelete}` : `ON DELETE ${found.onDelete}, expected ${fk.onDelete}`);
    }
  }
  return checks;
}

export function formatReport(checks: Check[]): string {
  const failed = checks.filter((c) => !c.ok);
  const lines = checks.map((c) => `${c.ok ? "ok  " : "FAIL"}  ${c.subject}: ${c.detail}`);
  lines.push("", failed.length === 0 ? `Schema OK: ${checks.length} checks passed.` : `Schema MISMATCH: ${failed.length} of ${checks.length} checks failed.`);
  return lines.join("\n");
}
