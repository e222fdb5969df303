/**
 * Deterministic randomness for demo data. Values are hashed from what they describe (store, stream, day) instead of
 * drawn from one running generator, so a store's data does not change when stores are added, when the chain is
 * rebuilt on a later day, or when generation order changes.
 */

/** 32-bit string hash (FNV-1a) used to seed streams from names such as store codes. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Murmur3's finalizer over a few integers: a well-mixed 32-bit value for a (seed, a, b) triple. */
function mix(seed: number, a: number, b: number): number {
  let h = (seed ^ Math.imul(a | 0, 0x9e3779b1) ^ Math.imul((b | 0) + 0x632be5ab, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1) for (seed, stream, index). */
export function uniformAt(seed: number, stream: number, index: number): number {
  return mix(seed, stream, index) / 4_294_967_296;
}

/** Standard normal for (seed, stream, index), by Box–Muller over two hashed uniforms. */
export function normalAt(seed: number, stream: number, index: number): number {
  const u1 = (mix(seed, stream, index) + 1) / 4_294_967_297;
  const u2 = mix(seed ^ 0x5bd1e995, stream + 7919, index) / 4_294_967_296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Poisson count for (seed, stream, index) by inversion; fine for the small rates the demo uses. */
export function poissonAt(seed: number, stream: number, index: number, rate: number): number {
  const u = uniformAt(seed, stream, index);
  let k = 0;
  let p = Math.exp(-rate);
  let cumulative = p;
  while (u > cumulative && k < 200) {
    k++;
    p *= rate / k;
    cumulative += p;
  }
  return k;
}

/** mulberry32: a small seeded sequence generator for one-off choices (names, sizes) made in a fixed order. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** A whole number in [min, max], both included. */
export function intBetween(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
