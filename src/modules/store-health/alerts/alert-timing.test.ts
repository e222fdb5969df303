import { describe, expect, it } from 'vitest';
import { addOpenHours as sharedAddOpenHours, openIntervals as sharedOpenIntervals, type StoreCalendar } from '../shared/opening-hours.js';
import { addDays, dateRange } from '../shared/dates.js';
import { addOpenHours, closingInstant, openingInstant, slaDeadline } from './alert-timing.js';

const calendars: StoreCalendar[] = [
  {
    timezone: 'America/New_York',
    openingHours: {
      '1': [{ open: '09:00', close: '21:00' }],
      '2': [{ open: '09:00', close: '21:00' }],
      '3': [{ open: '09:00', close: '21:00' }],
      '4': [{ open: '09:00', close: '21:00' }],
      '5': [{ open: '09:00', close: '21:00' }],
      '6': [{ open: '10:00', close: '18:00' }],
    },
    closedDates: new Set(['2026-03-10']),
  },
  {
    timezone: 'Europe/Berlin',
    openingHours: {
      '1': [
        { open: '08:00', close: '12:00' },
        { open: '14:00', close: '19:00' },
      ],
      '5': [{ open: '18:00', close: '02:00' }],
      '6': [{ open: '01:30', close: '03:30' }],
    },
    closedDates: new Set(),
  },
];

describe('alert timing', () => {
  it('matches shared/opening-hours.ts across daylight-saving changes', () => {
    // Both zones change clocks in March (US on the 8th, EU on the 29th) and in October/November.
    const days = [...dateRange('2026-03-05', '2026-04-01'), ...dateRange('2026-10-22', '2026-11-05')];
    for (const calendar of calendars) {
      for (const day of days) {
        const intervals = sharedOpenIntervals(calendar, day);
        if (intervals.length) {
          expect(openingInstant(calendar, day)).toEqual(intervals[0].start);
          expect(closingInstant(calendar, day)).toEqual(intervals[intervals.length - 1].end);
        }
        for (const hours of [1, 4, 8, 24]) {
          const start = new Date(Date.parse(`${day}T00:00:00Z`) + ((hours * 7919) % 86_400) * 1000);
          expect(addOpenHours(calendar, start, hours)).toEqual(sharedAddOpenHours(calendar, start, hours));
        }
      }
    }
  });

  it('starts the SLA clock at closing time of the metric day', () => {
    const [newYork] = calendars;
    // Friday red, 8 opening hours: Saturday 10:00–18:00.
    expect(slaDeadline(newYork, '2026-03-06', 8)?.toISOString()).toBe('2026-03-07T23:00:00.000Z');
    // Monday 9 March, 4 h: Tuesday is closed, so Wednesday 09:00 + 4 h (EDT).
    expect(slaDeadline(newYork, '2026-03-09', 4)?.toISOString()).toBe('2026-03-11T17:00:00.000Z');
    expect(slaDeadline({ ...newYork, openingHours: {} }, addDays('2026-03-09', 0), 4)).toBeNull();
  });
});
