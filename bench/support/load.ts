// A load loop: `requests` calls of `once`, `concurrency` in flight, after a
// warm-up; prints and returns p50 and p95 in ms.
function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function load(name: string, once: () => Promise<unknown>, concurrency: number, requests: number) {
  for (let i = 0; i < concurrency * 2; i++) await once(); // warm up
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) {
        const t = performance.now();
        await once();
        times.push(performance.now() - t);
      }
    }),
  );
  times.sort((a, b) => a - b);
  const r = { p50: Math.round(percentile(times, 50) * 10) / 10, p95: Math.round(percentile(times, 95) * 10) / 10 };
  console.log(`  ${name.padEnd(34)} p50 ${String(r.p50).padStart(6)} ms   p95 ${String(r.p95).padStart(6)} ms`);
  return r;
}
