"use client";
// Score and latency over time, one line per Region (recharts).
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type HistoryPoint = { region: string; at: string; score: number | null; latencyMs: number | null; passed: boolean | null };

// Date and time: runs a few hours apart must not read as the same tick.
const tick = (t: number) => new Date(t).toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

const COLORS = ["#0369a1", "#047857", "#b45309", "#7c3aed", "#be123c", "#0f766e", "#4d7c0f", "#a21caf", "#1d4ed8", "#c2410c"];

export function HistoryChart({ points, metric, regions }: { points: HistoryPoint[]; metric: "score" | "latencyMs"; regions: string[] }) {
  // One row per instant, one column per Region.
  const rows = points.map((p) => ({ t: Date.parse(p.at), [p.region]: p[metric] }));
  return (
    <div className="h-64 w-full" role="img" aria-label={`${metric === "score" ? "Score" : "Latency"} over time for ${regions.join(", ")}`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
          <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={tick} fontSize={11} minTickGap={24} stroke="currentColor" />
          <YAxis fontSize={11} stroke="currentColor" domain={metric === "score" ? [0, 100] : ["auto", "auto"]} unit={metric === "score" ? "" : " ms"} width={metric === "score" ? 32 : 64} />
          <Tooltip labelFormatter={(t) => new Date(Number(t)).toLocaleString()} />
          <Legend />
          {regions.map((r, i) => (
            // Dots while there are few runs: a single run is otherwise invisible.
            <Line key={r} dataKey={r} name={r} stroke={COLORS[i % COLORS.length]} dot={rows.length <= 60 ? { r: 3 } : false} connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
