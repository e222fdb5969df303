import { addDays } from '../shared/dates.js';
import { addToConfusion, emptyConfusion, scoreConfusion, type ClassificationScores } from './classification-metrics.js';
import { replayStatusPredictions, type ReplaySeriesInput } from './replay-predictions.js';
import { seededRandom } from './seeded-random.js';
import { generateSyntheticSeries, retailWeekdayProfile } from './synthetic-history.js';
import type { StatusRule } from './threshold-status.js';

/**
 * The model against its baselines on synthetic chains where the truth is known, without a database: what a
 * `bench/` script prints (the figures in the prediction README come from here).
 */

export interface SyntheticAccuracyOptions {
  stores: number;
  days: number;
  horizons: readonly number[];
  refitEveryDays: number;
  seed: number;
}

export interface SyntheticAccuracyRow {
  horizonDays: number;
  samples: number;
  model: ClassificationScores;
  persistence: ClassificationScores;
  seasonalNaive: ClassificationScores;
  fits: number;
  ms: number;
}

const salesRule: StatusRule = { direction: 'higher_is_better', comparisonBasis: 'rolling_4w', greenMin: 97, yellowMin: 92, redThreshold: 85 };
const calloutRule: StatusRule = { direction: 'lower_is_better', comparisonBasis: 'absolute', greenMin: 4, yellowMin: 8, redThreshold: 12 };

/** Per store: sales (4 % noise, drift between −8 %/week and +2 %/week from a random day) and call-out hours. */
export function syntheticChain(stores: number, days: number, seed: number): ReplaySeriesInput[] {
  const random = seededRandom(seed);
  const start = '2025-06-02';
  const inputs: ReplaySeriesInput[] = [];
  for (let s = 0; s < stores; s++) {
    const drift = -0.08 + random() * 0.1;
    const driftFrom = Math.floor(days * (0.3 + 0.6 * random()));
    const holiday = [Math.floor(days * random())];
    inputs.push({
      rule: salesRule,
      series: generateSyntheticSeries(
        {
          storeId: `s${s}`,
          kpiId: 'sales',
          rule: salesRule,
          level: 8_000 + 4_000 * random(),
          weekdayProfile: retailWeekdayProfile,
          driftPerWeek: drift,
          driftFrom,
          noise: 0.04,
          closedDays: holiday,
        },
        start,
        days,
        random,
      ),
    });
    inputs.push({
      rule: calloutRule,
      series: generateSyntheticSeries(
        {
          storeId: `s${s}`,
          kpiId: 'callout_hours',
          rule: calloutRule,
          level: 2 + 3 * random(),
          weekdayProfile: [1, 1, 1, 1, 1.1, 1.2, 0.8],
          driftPerWeek: -0.02 + random() * 0.08,
          driftFrom,
          noise: 0.15,
          closedDays: holiday,
        },
        start,
        days,
        random,
      ),
    });
  }
  return inputs;
}

export function measureSyntheticAccuracy(options: SyntheticAccuracyOptions): SyntheticAccuracyRow[] {
  const inputs = syntheticChain(options.stores, options.days, options.seed);
  const start = '2025-06-02';
  return options.horizons.map((horizonDays) => {
    const started = performance.now();
    const replay = replayStatusPredictions(inputs, {
      from: addDays(start, 63),
      to: addDays(start, options.days - 1 - horizonDays),
      horizonDays,
      refitEveryDays: options.refitEveryDays,
      settings: { flapRedDays: 2, recoveryMarginPct: 2 },
    });
    const confusion = { model: emptyConfusion(), persistence: emptyConfusion(), seasonalNaive: emptyConfusion() };
    for (const sample of replay.samples) {
      addToConfusion(confusion.model, sample.actual, sample.model);
      addToConfusion(confusion.persistence, sample.actual, sample.persistence);
      addToConfusion(confusion.seasonalNaive, sample.actual, sample.seasonalNaive);
    }
    return {
      horizonDays,
      samples: replay.samples.length,
      model: scoreConfusion(confusion.model),
      persistence: scoreConfusion(confusion.persistence),
      seasonalNaive: scoreConfusion(confusion.seasonalNaive),
      fits: replay.fits,
      ms: Math.round(performance.now() - started),
    };
  });
}
