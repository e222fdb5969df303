import { describe, expect, it } from 'vitest';
import { addOpenHours, dayState, insideLocalWindow, isOpenAt, openHoursBetween, type StoreCalendar } from './opening-hours.js';
import { localDate, zonedInstant } from './dates.js';

const weekdays = { open: '09:00', close: '21:00' };
const calendar: StoreCalendar = {
  timezone: 'America/New_York',
  openingHours: { '1': [weekdays], '2': [weekdays], '3': [weekdays], '4': [weekdays], '5': [weekdays], '6': [{ open: '10:00', close: '18:00' }] },
  closedDates: new Set(['2026-12-25']),
};

describe('store calendar', () => {
  it('knows open days, regular closed days and one-off closures', () => {
    expect(dayState(calendar, '2026-03-02')).toBe('open'); // Monday
    expect(dayState(calendar, '2026-03-08')).toBe('closed'); // Sunday
    expect(dayState(calendar, '2026-12-25')).toBe('closed');
    expect(dayState(calendar, '2026-03-02', new Set(['2026-03-02']))).toBe('holiday');
  });

  it('converts local opening hours across daylight saving time', () => {
    expect(zonedInstant('2026-03-02', '09:00', 'America/New_York').toISOString()).toBe('2026-03-02T14:00:00.000Z');
    expect(zonedInstant('2026-07-01', '09:00', 'America/New_York').toISOString()).toBe('2026-07-01T13:00:00.000Z');
    expect(localDate(new Date('2026-03-03T03:00:00Z'), 'America/New_York')).toBe('2026-03-02');
    expect(isOpenAt(calendar, new Date('2026-03-02T14:30:00Z'))).toBe(true);
    expect(isOpenAt(calendar, new Date('2026-03-02T13:59:00Z'))).toBe(false);
  });

  it('runs the SLA clock only during opening hours', () => {
    // Red at 19:00 Friday local, 4 opening hours: 2 h on Friday, then 2 h from Saturday 10:00 → 12:00 local.
    const start = zonedInstant('2026-03-06', '19:00', 'America/New_York');
    expect(addOpenHours(calendar, start, 4)!.toISOString()).toBe(zonedInstant('2026-03-07', '12:00', 'America/New_York').toISOString());
    // Saturday 17:00 + 4 h: 1 h Saturday, Sunday closed, 3 h Monday from 09:00.
    const saturday = zonedInstant('2026-03-07', '17:00', 'America/New_York');
    expect(addOpenHours(calendar, saturday, 4)!.toISOString()).toBe(zonedInstant('2026-03-09', '12:00', 'America/New_York').toISOString());
    expect(openHoursBetween(calendar, saturday, zonedInstant('2026-03-09', '12:00', 'America/New_York'))).toBeCloseTo(4, 6);
  });

  it('checks call windows in store time', () => {
    expect(insideLocalWindow(calendar, zonedInstant('2026-03-02', '08:00', 'America/New_York'), { start: '08:00', end: '20:00' })).toBe(true);
    expect(insideLocalWindow(calendar, zonedInstant('2026-03-02', '20:00', 'America/New_York'), { start: '08:00', end: '20:00' })).toBe(false);
  });
});
