import {
  isBlank,
  parseBooleanCell,
  parseDateCell,
  parseNumberCell,
  parseTextCell,
  parseTimeCell,
  parseTimestampCell,
  parseWholeNumberCell,
  showValue,
  type Parsed,
} from './cell-values.js';
import { unknownCodeMessage, type InputRows, type IssueCollector, type StoreRef } from './input-rows.js';
import type { IsoDate } from '../shared/dates.js';

/**
 * Reads the typed cells of one row, recording a problem (row and column) for each cell that is missing or wrong.
 * Every getter answers undefined for a bad or missing cell, so a caller checks `reader.valid` before using a row.
 */
export class RowReader {
  private problems = 0;

  constructor(
    private readonly input: InputRows,
    private readonly issues: IssueCollector,
    private readonly index: number,
  ) {}

  get valid(): boolean {
    return this.problems === 0;
  }

  private cell(column: string) {
    return this.input.rows[this.index].cells[column];
  }

  private report(column: string, message: string): undefined {
    this.problems++;
    this.issues.add(this.index, column, message);
    return undefined;
  }

  private take<T>(column: string, required: boolean, parse: (value: NonNullable<ReturnType<RowReader['cell']>>) => Parsed<T>): T | undefined {
    const value = this.cell(column);
    if (isBlank(value)) return required ? this.report(column, `${column} is empty; every row needs one.`) : undefined;
    const parsed = parse(value!);
    return parsed.ok ? parsed.value : this.report(column, parsed.message);
  }

  store(lookup: (code: string) => StoreRef | undefined): StoreRef | undefined {
    const code = this.take('store_code', true, (v) => ({ ok: true, value: parseTextCell(v) }));
    if (code === undefined) return undefined;
    return lookup(code) ?? this.report('store_code', unknownCodeMessage('store', code));
  }

  text(column: string, options: { required?: boolean; max?: number } = {}): string | undefined {
    const max = options.max ?? 200;
    return this.take(column, options.required ?? false, (v) => {
      const text = parseTextCell(v);
      return text.length <= max ? { ok: true, value: text } : { ok: false, message: `${showValue(text)} is longer than ${max} characters.` };
    });
  }

  date(column: string, required = true): IsoDate | undefined {
    return this.take(column, required, (v) => parseDateCell(v, this.input));
  }

  time(column: string, required = true): string | undefined {
    return this.take(column, required, (v) => parseTimeCell(v, this.input));
  }

  timestamp(column: string, timezone: string, required = true): Date | undefined {
    return this.take(column, required, (v) => parseTimestampCell(v, { spreadsheet: this.input.spreadsheet, timezone }));
  }

  number(column: string, options: { required?: boolean; min?: number; below?: number; whole?: boolean } = {}): number | undefined {
    const value = this.take(column, options.required ?? true, (v) => (options.whole ? parseWholeNumberCell(v) : parseNumberCell(v)));
    if (value === undefined) return undefined;
    if (options.min !== undefined && value < options.min) return this.report(column, `${value} is below ${options.min}; use ${options.min} or more.`);
    if (options.below !== undefined && Math.abs(value) >= options.below) return this.report(column, `${value} is too large.`);
    return value;
  }

  boolean(column: string): boolean | undefined {
    return this.take(column, false, parseBooleanCell);
  }

  /** Marks the row bad for a rule that involves several cells (e.g. restocked before it ran out). */
  problem(column: string, message: string): void {
    this.report(column, message);
  }
}
