import { evaluatedStatuses, type EvaluatedStatus } from './threshold-status.js';

/** confusion[actual][predicted] = count. */
export type ConfusionMatrix = Record<EvaluatedStatus, Record<EvaluatedStatus, number>>;

export interface ClassificationScores {
  samples: number;
  /** Share of samples predicted right, 0–1; null without samples. */
  accuracy: number | null;
  /** Of the days that were red, the share predicted red; null when none was red. */
  redRecall: number | null;
  /** Of the days predicted red, the share that were red; null when none was predicted red. */
  redPrecision: number | null;
  /** Mean F1 over the statuses that occur as actual or predicted (an undefined precision or recall counts as 0). */
  macroF1: number | null;
}

export function emptyConfusion(): ConfusionMatrix {
  const row = () => ({ green: 0, yellow: 0, red: 0 });
  return { green: row(), yellow: row(), red: row() };
}

export function addToConfusion(matrix: ConfusionMatrix, actual: EvaluatedStatus, predicted: EvaluatedStatus): void {
  matrix[actual][predicted]++;
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

export function scoreConfusion(matrix: ConfusionMatrix): ClassificationScores {
  let samples = 0;
  let correct = 0;
  const actualTotals = { green: 0, yellow: 0, red: 0 };
  const predictedTotals = { green: 0, yellow: 0, red: 0 };
  for (const actual of evaluatedStatuses) {
    for (const predicted of evaluatedStatuses) {
      const n = matrix[actual][predicted];
      samples += n;
      actualTotals[actual] += n;
      predictedTotals[predicted] += n;
      if (actual === predicted) correct += n;
    }
  }
  if (samples === 0) return { samples, accuracy: null, redRecall: null, redPrecision: null, macroF1: null };
  const present = evaluatedStatuses.filter((s) => actualTotals[s] > 0 || predictedTotals[s] > 0);
  const f1s = present.map((s) => {
    const tp = matrix[s][s];
    const precision = predictedTotals[s] > 0 ? tp / predictedTotals[s] : 0;
    const recall = actualTotals[s] > 0 ? tp / actualTotals[s] : 0;
    return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  });
  return {
    samples,
    accuracy: round(correct / samples),
    redRecall: actualTotals.red > 0 ? round(matrix.red.red / actualTotals.red) : null,
    redPrecision: predictedTotals.red > 0 ? round(matrix.red.red / predictedTotals.red) : null,
    macroF1: round(f1s.reduce((a, b) => a + b, 0) / f1s.length),
  };
}
