import type { ReactNode } from "react";

// A table's header row, in one of the two looks the console uses: "page"
// (padded, ruled: lists) and "compact" (dense: inside dialogs and panels).
export type HeadColumn = ReactNode | { label: ReactNode; align: "right" };

export function TableHead({ columns, variant = "page" }: { columns: HeadColumn[]; variant?: "page" | "compact" }) {
  const cell = variant === "page" ? "px-3 py-2 font-medium" : "py-1 pr-3 font-medium";
  return (
    <thead className={`text-xs text-slate-600 dark:text-slate-400 ${variant === "page" ? "border-b border-slate-200 dark:border-slate-800" : ""}`}>
      <tr>
        {columns.map((c, i) => {
          const right = typeof c === "object" && c !== null && "align" in c;
          return (
            <th key={i} scope="col" className={`${cell} ${right ? "text-right" : ""}`}>
              {right ? c.label : c}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
