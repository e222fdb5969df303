import { describe, expect, it } from 'vitest';
import { clipOutliers, forecastDailySeries, recentSlope } from './mstl-forecast.js';

const weekly = [90, 95, 100, 105, 120, 130, 60];

describe('MSTL forecast', () => {
  it('continues the weekly cycle with a spread that grows with the horizon', () => {
    const values = Array.from({ length: 56 }, (_, i) => weekly[i % 7] + (i % 3) - 1);
    const forecast = forecastDailySeries(values, 7);
    // Day 56 is weekday index 0 again.
    forecast.point.forEach((p, h) => expect(Math.abs(p - weekly[h])).toBeLessThan(5));
    expect(forecast.sd[6]).toBeGreaterThan(forecast.sd[0]);
    expect(forecast.sd[0]).toBeGreaterThan(0);
  });

  it('follows a significant recent slide that the trend model alone would forecast flat', () => {
    // Flat for six weeks, then −2 % a day for two weeks.
    const values = Array.from({ length: 56 }, (_, i) => weekly[i % 7] * (i < 42 ? 1 : Math.pow(0.98, i - 41)));
    const slope = recentSlope(values.map(Math.log))!;
    expect(slope.slope).toBeCloseTo(Math.log(0.98), 2);
    const forecast = forecastDailySeries(values, 3);
    // Relative to each weekday's pre-slide level: well below it (the last observed day is at 0.75) and still falling.
    const relative = forecast.point.map((p, h) => p / weekly[h]);
    expect(relative[0]).toBeLessThan(0.8);
    expect(relative[2]).toBeLessThan(relative[0] - 0.01);
  });

  it('clamps a mistyped value instead of letting it bend the forecast', () => {
    const values = Array.from({ length: 56 }, (_, i) => (i === 50 ? 1_000_000 : weekly[i % 7]));
    expect(Math.max(...clipOutliers(values))).toBeLessThan(1_000);
    const forecast = forecastDailySeries(values, 3);
    forecast.point.forEach((p, h) => expect(Math.abs(p - weekly[h])).toBeLessThan(20));
  });
});
