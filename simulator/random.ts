// Reproducible randomness. Each named stream (say, "throttle for model X in
// us-east-1") is its own generator seeded from (seed, name), so it yields the
// same sequence for the same seed however calls on other streams interleave.

// 32-bit FNV-1a, then a murmur3 finalizer for better mixing.
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class SeededStreams {
  private readonly streams = new Map<string, () => number>();
  constructor(private readonly seed: number) {}

  // A uniform number in [0, 1) from the named stream: each stream is its own
  // generator, seeded from (seed, stream name).
  next(stream: string): number {
    let generator = this.streams.get(stream);
    if (!generator) this.streams.set(stream, (generator = mulberry32(hash32(`${this.seed}|${stream}`))));
    return generator();
  }

  chance(stream: string, rate: number | undefined): boolean {
    if (!rate) return false;
    return this.next(stream) < rate;
  }

  reset(): void {
    this.streams.clear();
  }
}

// A deterministic generator for data derived from content (embeddings, images).
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
