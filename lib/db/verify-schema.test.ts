import { describe, expect, it } from "vitest";
import { compareSchema, formatReport, type SchemaSnapshot } from "./verify-schema";
import type { TableSpec } from "./schema-spec";

const spec: { tables: Record<string, TableSpec>; enums: Record<string, string[]> } = {
  enums: { Status: ["A", "B"] },
  tables: {
    parent: { columns: { id: "text" }, primaryKey: ["id"] },
    child: {
      columns: { id: "text", parent_id: "text", note: "text?" },
      primaryKey: ["id"],
      unique: [["parent_id", "note"]],
      indexes: [["note"]],
      foreignKeys: [{ columns: ["parent_id"], references: { table: "parent", columns: ["id"] }, onDelete: "CASCADE" }],
    },
  },
};

function matchingSnapshot(): SchemaSnapshot {
  return {
    enums: new Map([["Status", ["A", "B"]]]),
    columns: new Map([
      ["parent", new Map([["id", "text"]])],
      [
        "child",
        new Map([
          ["id", "text"],
          ["parent_id", "text"],
          ["note", "text?"],
        ]),
      ],
    ]),
    indexes: [
      { table: "parent", name: "parent_pkey", columns: ["id"], unique: true, primary: true },
      { table: "child", name: "child_pkey", columns: ["id"], unique: true, primary: true },
      { table: "child", name: "child_parent_id_note_key", columns: ["parent_id", "note"], unique: true, primary: false },
      { table: "child", name: "child_note_idx", columns: ["note"], unique: false, primary: false },
    ],
    foreignKeys: [{ table: "child", name: "child_parent_fkey", columns: ["parent_id"], refTable: "parent", refColumns: ["id"], onDelete: "CASCADE" }],
  };
}

const failures = (s: SchemaSnapshot) => compareSchema(s, spec).filter((c) => !c.ok);

describe("compareSchema", () => {
  it("passes a schema that matches", () => {
    expect(failures(matchingSnapshot())).toEqual([]);
    expect(formatReport(compareSchema(matchingSnapshot(), spec))).toMatch(/Schema OK: \d+ checks passed/);
  });

  it("fails on a dropped index", () => {
    const s = matchingSnapshot();
    s.indexes = s.indexes.filter((i) => i.name !== "child_note_idx");
    expect(failures(s)).toEqual([{ ok: false, subject: "index child(note)", detail: "missing" }]);
  });

  it("fails on a non-unique index where a unique constraint belongs", () => {
    const s = matchingSnapshot();
    s.indexes = s.indexes.map((i) => (i.name === "child_parent_id_note_key" ? { ...i, unique: false } : i));
    expect(failures(s).map((c) => c.subject)).toEqual(["unique child(parent_id, note)"]);
  });

  it("fails on enum values that differ or are out of order", () => {
    const s = matchingSnapshot();
    s.enums.set("Status", ["B", "A"]);
    expect(failures(s)[0]).toMatchObject({ subject: "enum Status", detail: "values are [B, A], expected [A, B]" });
  });

  it("fails on a foreign key without the expected cascade", () => {
    const s = matchingSnapshot();
    s.foreignKeys[0]!.onDelete = "NO ACTION";
    expect(failures(s)[0]!.detail).toBe("ON DELETE NO ACTION, expected CASCADE");
  });

  it("fails on a column type, nullability, a missing or an unexpected column", () => {
    const s = matchingSnapshot();
    s.columns.set(
      "child",
      new Map([
        ["id", "int4"],
        ["parent_id", "text?"],
        ["extra", "text"],
      ]),
    );
    expect(failures(s)[0]!.detail).toBe("column id is int4, expected text; column parent_id is text?, expected text; column note missing; unexpected column extra");
  });

  it("fails on a missing table or enum and says so in the report", () => {
    const s = matchingSnapshot();
    s.columns.delete("parent");
    s.enums.clear();
    const report = formatReport(compareSchema(s, spec));
    expect(report).toContain("FAIL  table parent: missing");
    expect(report).toContain("FAIL  enum Status: missing");
    expect(report).toMatch(/Schema MISMATCH: 2 of \d+ checks failed/);
  });
});
