/** Uplift coefficients are kept per discount band; a mechanic's discount picks its band. */
export const discountBands = [
  { band: '0-10', min: 0, max: 10 },
  { band: '10-20', min: 10, max: 20 },
  { band: '20-30', min: 20, max: 30 },
  { band: '30+', min: 30, max: 100 },
] as const;

export type DiscountBand = (typeof discountBands)[number]['band'];

/** 5 → '0-10', 10 → '10-20', 25 → '20-30', 45 → '30+' (lower bound inclusive). */
export function discountBandOf(discountPct: number): DiscountBand {
  for (const b of discountBands) if (discountPct >= b.min && discountPct < b.max) return b.band;
  return '30+';
}

/** Model versions are "v1", "v2", …; the newest version of a coefficient key is the one in use. */
export function modelVersionNumber(version: string): number {
  const n = Number(version.replace(/^v/, ''));
  return Number.isFinite(n) ? n : 0;
}
