// A process's live JavaScript heap, as a heap snapshot counts it: the process
// is started with --heapsnapshot-signal=SIGUSR2 and --diagnostic-dir=<dir>, and
// on SIGUSR2 it collects garbage and writes a snapshot there. The sum of the
// snapshot's node sizes is what survives a full GC — unlike RSS, which keeps
// V8's and malloc's high-water marks long after the objects are gone, so a
// grown RSS alone cannot tell a leak from a heap that has not shrunk back.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { ChildProcess } from "node:child_process";

export const heapSnapshotArgs = (dir: string) => ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${dir}`];

type Snapshot = { snapshot: { meta: { node_fields: string[] } }; nodes: number[] };

// Live heap in MB; the snapshot file is removed once read.
export async function liveHeapMb(child: ChildProcess, dir: string, timeoutMs = 60_000): Promise<number> {
  const mine = () => readdirSync(dir).filter((f) => f.endsWith(".heapsnapshot") && f.includes(`.${child.pid}.`));
  const before = new Set(mine());
  child.kill("SIGUSR2");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`no heap snapshot from process ${child.pid} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
    const file = mine().find((f) => !before.has(f));
    if (!file) continue;
    let snap: Snapshot;
    try {
      snap = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Snapshot;
    } catch {
      continue; // still being written
    }
    rmSync(path.join(dir, file));
    const fields = snap.snapshot.meta.node_fields;
    const size = fields.indexOf("self_size");
    let bytes = 0;
    for (let i = size; i < snap.nodes.length; i += fields.length) bytes += snap.nodes[i]!;
    return Math.round(bytes / 1e5) / 10;
  }
}
