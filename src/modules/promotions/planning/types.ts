import type { Channel, KpiBreakdown, Mechanic } from '../schema.js';
import type { IsoDate } from '../shared/dates.js';
import type { UpliftAtDiscount } from './uplift-curve.js';

/** A scenario as the KPI engine needs it; saved or not (what-if previews never touch the database). */
export interface ScenarioDraft {
  dateRangeStart: IsoDate;
  dateRangeEnd: IsoDate;
  mechanics: Mechanic[];
  scenarioType?: string | null;
}

/** The uplift coefficient a mechanic used (the newest model_version of its key, or the built-in prior). */
export interface AppliedCoefficient {
  department: string;
  channel: Channel;
  discountBand: string;
  upliftSalesPct: number;
  upliftUnitsPct: number;
  marginImpactPct: number;
  confidence: number | null;
  sampleSize: number | null;
  /** "v3", or "prior" when no coefficient exists for the key */
  modelVersion: string;
  postPromoDipPct: number | null;
  cannibalizationPct: number | null;
  /** The discount the coefficient describes; a mechanic's uplift scales by discount ÷ this (band reference when absent). */
  referenceDiscountPct?: number;
  /** prior / history / learned */
  source?: string;
}

/** One mechanic's forecast over the scenario's period. */
export interface MechanicForecast {
  index: number;
  department: string;
  channel: Channel;
  discountPct: number;
  segments: string[];
  baselineSalesValue: number;
  baselineMarginValue: number;
  baselineUnits: number;
  salesValue: number;
  marginValue: number;
  units: number;
  promoCosts: number;
  /** The coefficient in force for the mechanic's band (its dip, cannibalisation and confidence apply). */
  coefficient: AppliedCoefficient;
  /** The response at the mechanic's discount, interpolated between the bands' coefficients (planning/uplift-curve.ts). */
  uplift: UpliftAtDiscount;
}

/** Everything scenario_kpis stores, computed without writing. */
export interface ScenarioKpiComputation {
  periodStart: IsoDate;
  periodEnd: IsoDate;
  totalSalesValue: number;
  totalMarginValue: number;
  totalMarginPct: number;
  totalEbit: number;
  totalUnits: number;
  salesValueDelta: number;
  marginValueDelta: number;
  ebitDelta: number;
  unitsDelta: number;
  baselineSalesValue: number;
  baselineMarginValue: number;
  baselineEbit: number;
  baselineUnits: number;
  promoCosts: number;
  kpiBreakdown: KpiBreakdown;
  perMechanic: MechanicForecast[];
  /** Single version ("v3"), "prior", or "mixed" over the coefficients blended (perMechanic[].uplift.blend). */
  upliftModelVersion: string;
  baselineModel: string;
  /** Milliseconds the computation took (baseline read + engine), for the builder's live display. */
  ms: number;
}
