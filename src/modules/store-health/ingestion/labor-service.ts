import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceContext } from '../../../core/context.js';
import type { IsoDate } from '../shared/dates.js';
import type { IngestOptions, IngestResult } from './ingest-result.js';
import { IssueCollector, loadStoreLookup, rowsFromBatch, type ColumnSpec, type InputRows } from './input-rows.js';
import { ingestOperationalRows } from './operational-ingest.js';
import { RowReader } from './row-reader.js';
import { upsertSupportingRows, type SupportingTable } from './supporting-upsert.js';

// ---- labor schedules ----

export const laborScheduleColumns: ColumnSpec[] = [
  { column: 'store_code', field: 'storeCode', required: true },
  { column: 'schedule_date', field: 'scheduleDate', required: true },
  { column: 'shift_start', field: 'shiftStart', required: true },
  { column: 'shift_end', field: 'shiftEnd', required: true },
  { column: 'required_hours', field: 'requiredHours', required: true },
  { column: 'scheduled_hours', field: 'scheduledHours', required: true },
  { column: 'available_hours', field: 'availableHours', required: false },
];

const hoursValue = z.union([z.number(), z.string()]);
export const laborSchedulesBatchInput = z.object({
  schedules: z
    .array(
      z.object({
        storeCode: z.string().min(1),
        scheduleDate: z.string().describe('YYYY-MM-DD'),
        shiftStart: z.string().describe('HH:MM'),
        shiftEnd: z.string().describe('HH:MM'),
        requiredHours: hoursValue,
        scheduledHours: hoursValue,
        availableHours: hoursValue.nullable().optional().describe('Defaults to scheduledHours'),
      }),
    )
    .min(1)
    .max(50_000),
});

/** Coverage status of a shift: ≥ 95 % green, ≥ 85 % yellow, below red (the labor_coverage KPI's starting threshold). */
export function coverageStatus(ratio: number | null): 'green' | 'yellow' | 'red' | null {
  if (ratio === null) return null;
  return ratio >= 0.95 ? 'green' : ratio >= 0.85 ? 'yellow' : 'red';
}

const hoursLimit = 1e8;

const laborSchedulesTable: SupportingTable = {
  table: 'store_health.labor_schedules',
  columns: [
    { name: 'store_id', type: 'uuid' },
    { name: 'schedule_date', type: 'date' },
    { name: 'shift_start', type: 'time' },
    { name: 'shift_end', type: 'time' },
    { name: 'required_hours', type: 'numeric' },
    { name: 'scheduled_hours', type: 'numeric' },
    { name: 'available_hours', type: 'numeric' },
    { name: 'coverage_ratio', type: 'numeric' },
    { name: 'status', type: 'text' },
  ],
  key: ['store_id', 'schedule_date', 'shift_start'],
  hasUpdatedAt: true,
};

/**
 * Labor schedules by (store, date, shift start). available_hours defaults to scheduled_hours; coverage_ratio =
 * available ÷ required (none when nothing is required) and the shift's status follows coverageStatus.
 */
export async function ingestLaborSchedules(ctx: ServiceContext, input: InputRows, options: IngestOptions = {}): Promise<IngestResult> {
  const storeByCode = await loadStoreLookup(ctx);
  const issues = new IssueCollector(input);
  const rows: Record<string, unknown>[] = [];
  const firstIndexOfKey = new Map<string, number>();
  for (let index = 0; index < input.rows.length && !issues.full; index++) {
    const read = new RowReader(input, issues, index);
    const store = read.store(storeByCode);
    const date = read.date('schedule_date');
    const shiftStart = read.time('shift_start');
    const shiftEnd = read.time('shift_end');
    const required = read.number('required_hours', { min: 0, below: hoursLimit });
    const scheduled = read.number('scheduled_hours', { min: 0, below: hoursLimit });
    const available = read.number('available_hours', { required: false, min: 0, below: hoursLimit }) ?? scheduled;
    if (!read.valid || !store || !date || !shiftStart) continue;
    const key = `${store.id}|${date}|${shiftStart}`;
    const first = firstIndexOfKey.get(key);
    if (first !== undefined) {
      read.problem(
        'shift_start',
        `Store ${store.storeCode}, ${date}, shift ${shiftStart} appears twice: ${input.rowWord} ${input.rows[first].row} and ${input.rows[index].row}. Keep one of them.`,
      );
      continue;
    }
    firstIndexOfKey.set(key, index);
    const ratio = required! > 0 ? Math.round((available! / required!) * 10_000) / 10_000 : null;
    rows.push({
      store_id: store.id,
      schedule_date: date,
      shift_start: shiftStart,
      shift_end: shiftEnd,
      required_hours: required,
      scheduled_hours: scheduled,
      available_hours: available,
      coverage_ratio: ratio,
      status: coverageStatus(ratio),
    });
  }
  issues.throwIfAny();
  return ingestOperationalRows(ctx, {
    kind: 'labor-schedules',
    rows,
    dateOf: (r) => r.schedule_date as IsoDate,
    write: async (tx) => {
      const counts = await upsertSupportingRows(tx, laborSchedulesTable, rows);
      await linkCalloutsToSchedules(tx, rows);
      return counts;
    },
    options,
  });
}

// ---- labor call-outs ----

export const laborCalloutColumns: ColumnSpec[] = [
  { column: 'store_code', field: 'storeCode', required: true },
  { column: 'callout_date', field: 'calloutDate', required: true },
  { column: 'employee_name', field: 'employeeName', required: true },
  { column: 'shift_affected', field: 'shiftAffected', required: false },
  { column: 'hours_lost', field: 'hoursLost', required: true },
  { column: 'is_filled', field: 'isFilled', required: false },
  { column: 'filled_by', field: 'filledBy', required: false },
  { column: 'is_peak_hours', field: 'isPeakHours', required: false },
];

const flag = z.union([z.boolean(), z.string(), z.number()]);
export const laborCalloutsBatchInput = z.object({
  callouts: z
    .array(
      z.object({
        storeCode: z.string().min(1),
        calloutDate: z.string().describe('YYYY-MM-DD'),
        employeeName: z.string().min(1),
        shiftAffected: z.string().nullable().optional().describe('e.g. "09:00-17:00"; links the call-out to that shift'),
        hoursLost: hoursValue,
        isFilled: flag.nullable().optional(),
        filledBy: z.string().nullable().optional(),
        isPeakHours: flag.nullable().optional(),
      }),
    )
    .min(1)
    .max(50_000),
});

const laborCalloutsTable: SupportingTable = {
  table: 'store_health.labor_callouts',
  columns: [
    { name: 'store_id', type: 'uuid' },
    { name: 'callout_date', type: 'date' },
    { name: 'employee_name', type: 'text' },
    { name: 'shift_affected', type: 'text' },
    { name: 'hours_lost', type: 'numeric' },
    { name: 'is_filled', type: 'boolean' },
    { name: 'filled_by', type: 'text' },
    { name: 'is_peak_hours', type: 'boolean' },
  ],
  key: ['store_id', 'callout_date', 'employee_name', 'shift_affected'],
  hasUpdatedAt: true,
};

/** Call-outs by (store, date, employee, shift); each is linked to its shift when that is unambiguous. */
export async function ingestLaborCallouts(ctx: ServiceContext, input: InputRows, options: IngestOptions = {}): Promise<IngestResult> {
  const storeByCode = await loadStoreLookup(ctx);
  const issues = new IssueCollector(input);
  const rows: Record<string, unknown>[] = [];
  const firstIndexOfKey = new Map<string, number>();
  for (let index = 0; index < input.rows.length && !issues.full; index++) {
    const read = new RowReader(input, issues, index);
    const store = read.store(storeByCode);
    const date = read.date('callout_date');
    const employee = read.text('employee_name', { required: true });
    const shift = read.text('shift_affected', { max: 100 }) ?? '';
    const hoursLost = read.number('hours_lost', { min: 0, below: 1e6 });
    const isFilled = read.boolean('is_filled') ?? false;
    const filledBy = read.text('filled_by') ?? null;
    const isPeak = read.boolean('is_peak_hours') ?? false;
    if (!read.valid || !store || !date || !employee) continue;
    const key = `${store.id}|${date}|${employee}|${shift}`;
    const first = firstIndexOfKey.get(key);
    if (first !== undefined) {
      read.problem(
        'employee_name',
        `${employee}'s call-out at store ${store.storeCode} on ${date}${shift ? ` (${shift})` : ''} appears twice: ${input.rowWord} ${input.rows[first].row} and ${input.rows[index].row}.`,
      );
      continue;
    }
    firstIndexOfKey.set(key, index);
    rows.push({
      store_id: store.id,
      callout_date: date,
      employee_name: employee,
      shift_affected: shift,
      hours_lost: hoursLost,
      is_filled: isFilled,
      filled_by: filledBy,
      is_peak_hours: isPeak,
    });
  }
  issues.throwIfAny();
  return ingestOperationalRows(ctx, {
    kind: 'labor-callouts',
    rows,
    dateOf: (r) => r.callout_date as IsoDate,
    write: async (tx) => {
      const counts = await upsertSupportingRows(tx, laborCalloutsTable, rows);
      await linkCalloutsToSchedules(
        tx,
        rows.map((r) => ({ store_id: r.store_id, schedule_date: r.callout_date })),
      );
      return counts;
    },
    options,
  });
}

/**
 * Links call-outs of the given store-days to a shift: the one whose start time opens shift_affected
 * ("09:00-17:00" → the 09:00 shift), or the day's only shift when shift_affected names none. Runs after either
 * side is imported, so the order of the two files does not matter; an ambiguous call-out stays unlinked.
 */
async function linkCalloutsToSchedules(ctx: ServiceContext, storeDays: Record<string, unknown>[]): Promise<void> {
  if (storeDays.length === 0) return;
  const keys = JSON.stringify([...new Map(storeDays.map((r) => [`${r.store_id}|${r.schedule_date}`, { s: r.store_id, d: r.schedule_date }])).values()]);
  await ctx.db.execute(sql`
    with days as (select * from json_to_recordset(${keys}::json) as x(s uuid, d date)),
    candidates as (
      select c.id as callout_id, l.id as schedule_id,
        (c.shift_affected <> '' and c.shift_affected like to_char(l.shift_start, 'HH24:MI') || '%') as shift_match,
        (c.shift_affected ~ '^\\d{1,2}:\\d{2}') as names_a_shift
      from days
      join store_health.labor_callouts c on c.store_id = days.s and c.callout_date = days.d
      join store_health.labor_schedules l on l.store_id = c.store_id and l.schedule_date = c.callout_date
      where c.organization_id = ${ctx.organization.id}::uuid
    ),
    chosen as (
      select callout_id,
        case
          when count(*) filter (where shift_match) = 1 then (array_agg(schedule_id) filter (where shift_match))[1]
          when not bool_or(names_a_shift) and count(*) = 1 then (array_agg(schedule_id))[1]
        end as schedule_id
      from candidates group by callout_id
    )
    update store_health.labor_callouts c set labor_schedule_id = chosen.schedule_id
    from chosen
    where c.id = chosen.callout_id and c.labor_schedule_id is distinct from chosen.schedule_id
  `);
}

export const laborSchedulesFromBatch = (input: z.infer<typeof laborSchedulesBatchInput>) => rowsFromBatch('schedules', input.schedules, laborScheduleColumns);
export const laborCalloutsFromBatch = (input: z.infer<typeof laborCalloutsBatchInput>) => rowsFromBatch('callouts', input.callouts, laborCalloutColumns);
