"use client";
// The model × Region table: Regions as columns grouped by geography, models as
// rows grouped by provider, sticky headers and first column, only the rows in
// view rendered (150 × 40 cells stay smooth). One cell is in the tab order at
// a time; the arrow keys, Home and End move between cells, Enter opens one.
import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent } from "react";
import { cellTone, describeCell, type Cell, type Column, type GridView, type Row } from "./grid-view";
import { BAND_CLASS, formatSpeed, speedBand, SPEEDS, type SpeedScale, type SpeedScales } from "./metric";
import { modelKind } from "@/lib/catalog/model-kind";
import { TONE_CLASS, TONE_GLYPH } from "./tones";

type Item = { kind: "provider"; provider: string; count: number } | { kind: "model"; row: Row; rowNumber: number };

// Compact: 30+ model rows and all 33 Regions at 1440 × 900; comfortable: larger cells.
export type Density = "compact" | "comfortable";
// Column widths are fixed (table-layout: fixed): laying out a repainted grid
// then never measures the cells' contents.
const LOOK: Record<Density, { row: number; modelWidth: number; cellWidth: number; cell: string; regionHead: string; modelCol: string }> = {
  compact: { row: 15, modelWidth: 240, cellWidth: 34, cell: "h-[15px] text-[10px] leading-none", regionHead: "h-[80px] text-[9px]", modelCol: "text-[11px]" },
  comfortable: { row: 30, modelWidth: 288, cellWidth: 44, cell: "h-[26px] text-[11px]", regionHead: "h-24 text-[11px]", modelCol: "" },
};

// One element per cell (a grid cell of the ARIA grid pattern, not a button in
// a cell): a filter change repaints up to 1,800 of them, and half the elements
// is half the style, layout and paint work. Clicks and Enter are handled once,
// on the table body.
const GridCell = memo(function GridCell({
  row,
  column,
  cell,
  availability,
  matches,
  rowNumber,
  colNumber,
  active,
  now,
  size,
  scale,
}: {
  row: Row;
  column: Column;
  cell: Cell | null;
  availability: string;
  matches: boolean;
  rowNumber: number;
  colNumber: number;
  active: boolean;
  now: number;
  size: string;
  scale: SpeedScale;
}) {
  const tone = cellTone(cell, availability);
  const band = speedBand(scale, cell);
  const speed = band !== null && scale && cell ? SPEEDS[scale.metric].of(cell)! : null;
  const label =
    describeCell(row, column, cell, availability, now) +
    (scale && speed !== null
      ? `, ${SPEEDS[scale.metric].label.toLowerCase()} ${formatSpeed(scale.metric, speed)}${SPEEDS[scale.metric].unit === "tok/s" ? " tokens/s" : speed < 1000 ? " ms" : ""}`
      : "") +
    (cell?.regressed ? ", regressed since its previous run" : "");
  // In a speed view a passed cell shows its speed (or "·" when not measured).
  const look = scale && cell?.passed ? (band !== null ? BAND_CLASS[band] : TONE_CLASS.uncertified) : TONE_CLASS[tone];
  const text =
    scale && cell?.passed
      ? speed !== null
        ? formatSpeed(scale.metric, speed)
        : "·"
      : cell?.score != null && tone !== "running" && tone !== "waiting"
        ? Math.round(cell.score)
        : (TONE_GLYPH[tone] ?? "");
  return (
    <td
      role="gridcell"
      data-cell={`${rowNumber}:${colNumber}`}
      data-testid={`cell-${row.bedrockModelId}-${column.code}`}
      data-tone={tone}
      data-band={band ?? undefined}
      data-status={cell?.status ?? ""}
      data-regressed={cell?.regressed ? "true" : undefined}
      tabIndex={active ? 0 : -1}
      title={label}
      aria-label={label}
      className={`relative cursor-pointer rounded-[3px] border-x-2 border-y border-transparent bg-clip-padding p-0 text-center align-middle font-semibold tabular-nums ${size} ${matches ? look : "bg-slate-50 text-transparent dark:bg-slate-900"}`}
    >
      {matches ? text : ""}
      {matches && cell?.regressed ? <span aria-hidden className="absolute top-0 right-0 h-0 w-0 border-t-[7px] border-l-[7px] border-t-amber-500 border-l-transparent" /> : null}
    </td>
  );
});

// Memoized: the page re-renders at once on a filter change (its controls),
// while the grid waits for the deferred filter; that first pass skips the grid.
export const MatrixGrid = memo(function MatrixGrid({
  view,
  onOpenCell,
  now,
  density = "compact",
  scales = null,
}: {
  view: GridView;
  onOpenCell: (row: Row, column: Column) => void;
  now: number;
  density?: Density;
  // One per model kind (metric.ts): a row is banded with its kind's scale.
  scales?: SpeedScales | null;
}) {
  const look = LOOK[density];
  const ROW_HEIGHT = look.row;
  const scroller = useRef<HTMLDivElement>(null);
  const items = useMemo(() => {
    const out: Item[] = [];
    let rowNumber = 0;
    for (const g of view.groups) {
      out.push({ kind: "provider", provider: g.provider, count: g.rows.length });
      for (const row of g.rows) out.push({ kind: "model", row, rowNumber: rowNumber++ });
    }
    return out;
  }, [view]);
  const itemOfRow = useMemo(() => items.flatMap((it, i) => (it.kind === "model" ? [i] : [])), [items]);
  // TanStack Virtual hands back functions the React Compiler cannot memoize;
  // this component is written for plain React (useMemo where it counts).
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 3,
    // Rows the server renders before the browser has measured anything.
    initialRect: { width: 1280, height: 720 },
  });
  // A change of density changes every row's height.
  useEffect(() => virtualizer.measure(), [virtualizer, ROW_HEIGHT]);
  // The grid reaches down to the bottom of the window, whatever sits above it.
  const [maxHeight, setMaxHeight] = useState<string | undefined>(undefined);
  useLayoutEffect(() => {
    const fit = () => {
      const top = scroller.current ? scroller.current.getBoundingClientRect().top + window.scrollY : 0;
      setMaxHeight(`max(20rem, calc(100vh - ${Math.round(top) + 12}px))`);
    };
    fit();
    window.addEventListener("resize", fit);
    return () => window.removeEventListener("resize", fit);
  }, []);
  const [active, setActive] = useState<[number, number]>([0, 0]);
  const [r0, c0] = [Math.min(active[0], Math.max(0, view.rowCount - 1)), Math.min(active[1], Math.max(0, view.columns.length - 1))];

  // Where the keyboard is, updated at once (focus follows a frame or two later,
  // once the row is rendered): quick repeated keys move from here.
  const cursor = useRef<[number, number]>([0, 0]);
  const focusCell = useCallback(
    (r: number, c: number) => {
      cursor.current = [r, c];
      setActive([r, c]);
      virtualizer.scrollToIndex(itemOfRow[r]!, { align: "auto" });
      let frames = 0;
      const tryFocus = () => {
        if (cursor.current[0] !== r || cursor.current[1] !== c) return; // a newer move took over
        const button = scroller.current?.querySelector<HTMLButtonElement>(`[data-cell="${r}:${c}"]`);
        if (button) button.focus();
        else if (frames++ < 30) requestAnimationFrame(tryFocus);
      };
      requestAnimationFrame(tryFocus);
    },
    [virtualizer, itemOfRow],
  );

  // The cell an event happened in, as its row and column.
  const cellOf = (target: EventTarget): [Row, Column] | null => {
    const at = (target as HTMLElement).closest<HTMLElement>("[data-cell]")?.dataset.cell;
    if (!at) return null;
    const [r, c] = at.split(":").map(Number) as [number, number];
    const item = items[itemOfRow[r]!];
    const column = view.columns[c];
    return item?.kind === "model" && column ? [item.row, column] : null;
  };
  const onClick = (e: MouseEvent<HTMLTableSectionElement>) => {
    const hit = cellOf(e.target);
    if (hit) onOpenCell(...hit);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    if (!(e.target as HTMLElement).dataset.cell) return;
    if (e.key === "Enter" || e.key === " ") {
      const hit = cellOf(e.target);
      if (!hit) return;
      e.preventDefault();
      onOpenCell(...hit);
      return;
    }
    const last = [view.rowCount - 1, view.columns.length - 1] as const;
    // (A filter may have removed rows or columns since the cursor last moved.)
    const [r, c] = [Math.min(cursor.current[0], last[0]), Math.min(cursor.current[1], last[1])];
    const moves: Record<string, [number, number]> = {
      ArrowUp: [Math.max(0, r - 1), c],
      ArrowDown: [Math.min(last[0], r + 1), c],
      ArrowLeft: [r, Math.max(0, c - 1)],
      ArrowRight: [r, Math.min(last[1], c + 1)],
      Home: [r, 0],
      End: [r, last[1]],
      PageUp: [Math.max(0, r - 15), c],
      PageDown: [Math.min(last[0], r + 15), c],
    };
    const next = moves[e.key];
    if (!next) return;
    e.preventDefault();
    focusCell(next[0], next[1]);
  };

  // A cell focused by a click or Tab is where the keyboard continues from.
  const onFocus = (e: FocusEvent<HTMLTableSectionElement>) => {
    const target = (e.target as HTMLElement).dataset.cell;
    if (target) cursor.current = target.split(":").map(Number) as [number, number];
  };

  const virtualItems = virtualizer.getVirtualItems();
  // The provider of the first row in view, kept in the sticky corner: the
  // provider stays named while scrolling down past its heading row.
  const top = virtualItems.find((v) => v.end > (virtualizer.scrollOffset ?? 0));
  const topItem = top ? items[top.index] : undefined;
  const currentProvider = topItem ? (topItem.kind === "provider" ? topItem.provider : topItem.row.provider) : undefined;
  const padTop = virtualItems[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (virtualItems.at(-1)?.end ?? 0);
  const colSpan = view.columns.length + 1;

  return (
    <div
      ref={scroller}
      style={maxHeight ? { maxHeight } : undefined}
      className="relative max-h-[calc(100vh-12.5rem)] min-h-[20rem] overflow-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-950"
      data-testid="matrix"
    >
      <table
        role="grid"
        className="table-fixed border-separate border-spacing-0 text-xs"
        style={{ width: look.modelWidth + view.columns.length * look.cellWidth }}
        aria-label="Certification matrix: models by Region"
        aria-rowcount={view.rowCount + 3}
      >
        <colgroup>
          <col style={{ width: look.modelWidth }} />
          {view.columns.map((c) => (
            <col key={c.code} style={{ width: look.cellWidth }} />
          ))}
        </colgroup>
        <thead className="sticky top-0 z-20 bg-white dark:bg-slate-950">
          <tr>
            <th
              scope="col"
              rowSpan={2}
              className="sticky left-0 z-30 border-b border-r border-slate-200 bg-white px-3 text-left align-bottom text-sm font-semibold dark:border-slate-800 dark:bg-slate-950"
            >
              {currentProvider && (
                <span className="mb-1 block text-[11px] font-semibold text-slate-700 dark:text-slate-300" data-testid="current-provider">
                  {currentProvider}
                </span>
              )}
              Model <span className="font-normal text-slate-600 dark:text-slate-400">· pass rate</span>
            </th>
            {view.geographies.map((g, i) => (
              <th
                key={g.geography}
                scope="colgroup"
                colSpan={g.span}
                title={g.geography}
                className="relative h-5 border-b border-l border-slate-200 p-0 text-left text-[11px] font-semibold text-slate-700 dark:border-slate-800 dark:text-slate-300"
              >
                {/* Out of the table's layout: a long name over one column
                    ("South America") must not widen that column's cells. */}
                <span className={`absolute top-0.5 left-1 whitespace-nowrap ${g.span === 1 ? "text-[9px]" : ""} ${i < view.geographies.length - 1 ? "right-0.5 overflow-hidden text-ellipsis" : ""}`}>
                  {g.geography}
                </span>
              </th>
            ))}
          </tr>
          <tr>
            {view.columns.map((c) => (
              <th
                key={c.code}
                scope="col"
                title={`${c.code} · ${c.name}`}
                className={`${look.regionHead} border-b border-slate-200 px-0 align-bottom font-mono font-medium text-slate-700 dark:border-slate-800 dark:text-slate-300`}
              >
                <span className="inline-block rotate-180 py-0.5 whitespace-nowrap [writing-mode:vertical-rl]">{c.code}</span>
              </th>
            ))}
          </tr>
          <tr>
            <th
              scope="row"
              className="sticky left-0 z-30 border-b border-r border-slate-200 bg-white px-3 py-0.5 text-left text-[11px] font-medium text-slate-600 dark:border-slate-800 dark:bg-slate-950 dark:text-slate-400"
            >
              Pass rate by Region
            </th>
            {view.columns.map((c) => (
              <td
                key={c.code}
                className="border-b border-slate-200 text-center text-[10px] tabular-nums text-slate-700 dark:border-slate-800 dark:text-slate-300"
                data-testid={`region-rate-${c.code}`}
              >
                {c.passRate === null ? "–" : `${c.passRate}%`}
              </td>
            ))}
          </tr>
        </thead>
        <tbody onClick={onClick} onKeyDown={onKeyDown} onFocus={onFocus}>
          {padTop > 0 && (
            <tr aria-hidden style={{ height: padTop }}>
              <td colSpan={colSpan} />
            </tr>
          )}
          {virtualItems.map((v) => {
            const item = items[v.index]!;
            if (item.kind === "provider")
              return (
                <tr key={`p-${item.provider}`} style={{ height: ROW_HEIGHT }}>
                  <th
                    scope="rowgroup"
                    colSpan={colSpan}
                    className="sticky left-0 border-b border-slate-200 bg-slate-50 px-3 text-left text-[11px] leading-none font-semibold text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-200"
                  >
                    {item.provider} <span className="font-normal text-slate-600 dark:text-slate-400">({item.count})</span>
                  </th>
                </tr>
              );
            const { row, rowNumber } = item;
            const availability = row.availability;
            return (
              <tr key={row.id} style={{ height: ROW_HEIGHT }} data-testid={`row-${row.bedrockModelId}`}>
                <th scope="row" className={`sticky left-0 z-10 ${look.modelCol} border-r border-slate-200 bg-white px-3 text-left leading-none font-normal dark:border-slate-800 dark:bg-slate-950`}>
                  <span className="flex items-center justify-between gap-2">
                    <a href={`/models/${row.id}`} className="truncate hover:underline" title={row.bedrockModelId}>
                      {row.name}
                      {row.legacy && <span className="ml-1 rounded bg-amber-100 px-1 text-[9px] text-amber-900 dark:bg-amber-900 dark:text-amber-100">legacy</span>}
                    </a>
                    <span className="shrink-0 tabular-nums text-slate-600 dark:text-slate-400">{row.passRate === null ? "–" : `${row.passRate}%`}</span>
                  </span>
                </th>
                {view.columns.map((column, colNumber) => (
                  <GridCell
                    key={column.code}
                    row={row}
                    column={column}
                    cell={row.cells[colNumber]!}
                    availability={availability[column.index] ?? "?"}
                    matches={row.matches[colNumber]!}
                    rowNumber={rowNumber}
                    colNumber={colNumber}
                    active={rowNumber === r0 && colNumber === c0}
                    now={now}
                    size={look.cell}
                    scale={scales?.get(modelKind(row)) ?? null}
                  />
                ))}
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden style={{ height: padBottom }}>
              <td colSpan={colSpan} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
});
