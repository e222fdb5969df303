import { describe, expect, it } from 'vitest';
import { clearsRecoveryLine, measureOf, recoveryLine, statusOfMeasure, variancePctOf, type ThresholdRule } from './threshold-rules.js';

const higher: ThresholdRule = { direction: 'higher_is_better', comparisonBasis: 'rolling_4w', greenMin: 95, yellowMin: 90, redThreshold: 85 };
const lower: ThresholdRule = { direction: 'lower_is_better', comparisonBasis: 'absolute', greenMin: 2, yellowMin: 3, redThreshold: 4 };

describe('threshold bands (the table of docs/store-health-thresholds.md)', () => {
  it.each([
    [95, 'green'], // exactly at green_min
    [94.99, 'yellow'], // just below green_min
    [90, 'yellow'], // exactly at yellow_min
    [89.99, 'red'], // just below yellow_min: the gap down to red_threshold is red
    [85, 'red'], // exactly at red_threshold
    [84.99, 'red'],
    [120, 'green'],
  ])('higher is better: measure %d is %s', (measure, status) => {
    expect(statusOfMeasure(measure, higher)).toBe(status);
  });

  it.each([
    [2, 'green'], // exactly at green_min
    [2.01, 'yellow'],
    [3, 'yellow'], // exactly at yellow_min
    [3.01, 'red'], // in the gap up to red_threshold
    [4, 'red'], // exactly at red_threshold
    [0, 'green'],
  ])('lower is better: measure %d is %s', (measure, status) => {
    expect(statusOfMeasure(measure, lower)).toBe(status);
  });

  it('uses red_threshold as the yellow/red edge when yellow_min is missing, and green_min when both are', () => {
    expect(statusOfMeasure(89.99, { ...higher, yellowMin: null, redThreshold: 90 })).toBe('red');
    expect(statusOfMeasure(90, { ...higher, yellowMin: null, redThreshold: 90 })).toBe('yellow');
    expect(statusOfMeasure(94.99, { ...higher, yellowMin: null, redThreshold: null })).toBe('red');
    expect(statusOfMeasure(95, { ...higher, yellowMin: null, redThreshold: null })).toBe('green');
  });

  it('ignores a red_threshold on the green side of yellow_min (the bands above decide)', () => {
    expect(statusOfMeasure(91, { ...higher, redThreshold: 92 })).toBe('yellow');
  });
});

describe('measure and variance', () => {
  it('reads relative bases as % of the baseline and absolute as the raw value', () => {
    expect(measureOf(95, 100, 'rolling_4w')).toBe(95);
    expect(measureOf(2.85, 3, 'same_period_ly')).toBeCloseTo(95, 10);
    expect(measureOf(42, null, 'absolute')).toBe(42);
    expect(measureOf(42, null, 'rolling_4w')).toBeNull();
    expect(measureOf(42, 0, 'rolling_4w')).toBeNull();
    expect(variancePctOf(80, 100)).toBe(-20);
    expect(variancePctOf(80, 0)).toBeNull();
  });

  it('puts the recovery line a margin of |green_min| beyond green_min', () => {
    expect(recoveryLine(higher, 2)).toBeCloseTo(96.9, 10);
    expect(recoveryLine(lower, 2)).toBeCloseTo(1.96, 10);
    expect(clearsRecoveryLine(96.9, higher, 2)).toBe(true);
    expect(clearsRecoveryLine(96.89, higher, 2)).toBe(false);
    expect(clearsRecoveryLine(1.96, lower, 2)).toBe(true);
    expect(clearsRecoveryLine(1.97, lower, 2)).toBe(false);
  });
});
