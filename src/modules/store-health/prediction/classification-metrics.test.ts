import { describe, expect, it } from 'vitest';
import { addToConfusion, emptyConfusion, scoreConfusion } from './classification-metrics.js';
import type { EvaluatedStatus } from './threshold-status.js';

describe('classification scores', () => {
  it('computes accuracy, red recall/precision and macro-F1 from a confusion matrix', () => {
    const matrix = emptyConfusion();
    // (actual, predicted)
    const pairs: [EvaluatedStatus, EvaluatedStatus][] = [
      ['red', 'red'],
      ['red', 'red'],
      ['red', 'yellow'],
      ['yellow', 'red'],
      ['yellow', 'yellow'],
      ['green', 'green'],
      ['green', 'green'],
      ['green', 'yellow'],
    ];
    for (const [actual, predicted] of pairs) addToConfusion(matrix, actual, predicted);
    expect(matrix.red).toEqual({ green: 0, yellow: 1, red: 2 });
    const scores = scoreConfusion(matrix);
    // red: P 2/3, R 2/3, F1 2/3; yellow: P 1/3, R 1/2, F1 0.4; green: P 1, R 2/3, F1 0.8.
    expect(scores).toEqual({ samples: 8, accuracy: 0.625, redRecall: 0.6667, redPrecision: 0.6667, macroF1: 0.6222 });
  });

  it('leaves undefined rates null and averages F1 only over statuses that occur', () => {
    expect(scoreConfusion(emptyConfusion())).toEqual({ samples: 0, accuracy: null, redRecall: null, redPrecision: null, macroF1: null });
    const greens = emptyConfusion();
    addToConfusion(greens, 'green', 'green');
    addToConfusion(greens, 'green', 'green');
    expect(scoreConfusion(greens)).toEqual({ samples: 2, accuracy: 1, redRecall: null, redPrecision: null, macroF1: 1 });
  });
});
