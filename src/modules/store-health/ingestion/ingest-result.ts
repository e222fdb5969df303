import type { ProgressReporter } from '../../../core/demo/demo-steps.js';
import type { IsoDate } from '../shared/dates.js';
import type { MetricWriteResult } from './metric-writer.js';

/** What every ingestion (file or JSON batch) reports back. */
export interface IngestResult {
  /** Data rows read (the header excluded). */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** First and last date the input covers; null for inputs without dates (stores). */
  dates: { from: IsoDate; to: IsoDate } | null;
  /** KPI values the input changed (directly, or through derived labor/inventory KPIs): what must be re-evaluated. */
  changed: MetricWriteResult['changed'];
  /** Derived KPI values written from labor/inventory rows (absent for metrics and stores). */
  derived?: { inserted: number; updated: number; unchanged: number };
  /** Regions and districts a stores file created by name. */
  created?: { regions: number; districts: number };
}

export interface IngestOptions {
  onProgress?: ProgressReporter;
  /** Recorded in the audit entry and the metrics' metadata. */
  fileName?: string;
  /** SHA-256 of the file, recorded in the audit entry so an operator can tell a re-import of the same file. */
  fileSha256?: string;
}

/** Counts of an upsert into a supporting table, computed like the metric writer's. */
export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}
