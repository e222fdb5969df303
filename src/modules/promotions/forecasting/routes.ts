import { z } from 'zod';
import { pageSchema } from '../../../core/db/list-query.js';
import { validationFailed } from '../../../core/errors.js';
import { errorResponses, idParams } from '../../../core/http/routes/schemas.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import { channels } from '../schema.js';
import { addDays, isIsoDate } from '../shared/dates.js';
import { backtestInput, getBacktest, getLatestBacktest, listBacktests } from './backtest.js';
import { startBacktestRun } from './backtest-runs.js';
import { forecastBaseline } from './baseline.js';
import { lastSalesDate } from './sales-history.js';
import { assertDepartmentExists, getSalesDaily, getSalesSummary } from './sales-explorer.js';

const isoDate = z.string().refine(isIsoDate, 'Use a calendar date as YYYY-MM-DD');
const channel = z.enum(channels);
const department = z.string().trim().min(1).max(50);
/** Longest forecast one request may ask for. */
const maxForecastDays = 400;

const modelScore = z.object({ wape: z.number().nullable(), mase: z.number().nullable(), days: z.number() }).nullable();
const summaryLine = z.object({ wape: z.number().nullable(), mase: z.number().nullable(), days: z.number(), series: z.number() });
const leaveOutScore = z.object({ wape: z.number().nullable(), bias: z.number().nullable(), days: z.number() });
const backtestSummary = z.union([
  z.object({
    models: z.record(z.string(), summaryLine),
    chosen: summaryLine,
    chosenCounts: z.record(z.string(), z.number()),
    chosenAhead: z.object({ chosen: summaryLine, models: z.record(z.string(), summaryLine) }).optional(),
    peakLeaveOut: z.record(z.string(), leaveOutScore).optional(),
    fitMs: z.record(z.string(), z.object({ fits: z.number(), meanMs: z.number(), maxMs: z.number() })).optional(),
    series: z.number(),
    ms: z.number(),
  }),
  z.object({}),
]);
const backtestHead = {
  id: z.string(),
  status: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  summary: backtestSummary,
  errorMessage: z.string().nullable(),
  startedAt: z.string(),
  completedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
};
const backtestRunSchema = z.object({
  ...backtestHead,
  results: z.array(
    z.object({
      department: z.string(),
      channel: z.string(),
      folds: z.number(),
      scoredDays: z.number(),
      dipDays: z.number(),
      models: z.record(z.string(), modelScore),
      peakLeaveOut: z.record(z.string(), leaveOutScore.nullable()).optional(),
      chosen: z.string().nullable(),
      fastChosen: z.string().nullable().optional(),
    }),
  ),
});

const baselineDaySchema = z.object({
  department: z.string(),
  channel: z.string(),
  date: z.string(),
  salesValue: z.number(),
  marginValue: z.number(),
  units: z.number(),
});

const forecastQuery = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    department: department.optional(),
    channel: channel.optional(),
    trainedThrough: isoDate.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'Must be on or after from' });

const salesDailyQuery = z
  .object({ from: isoDate.optional(), to: isoDate.optional(), department: department.optional(), channel: channel.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'Must be on or after from' });

/** Promotions forecasting routes, under /api/promotions. */
export async function registerForecastingRoutes(app: TypedApp, _deps: AppDeps): Promise<void> {
  app.get(
    '/api/promotions/sales/summary',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['promotions'],
        summary: 'What the sales history holds: departments, channels, date range, row and promo-day counts per series',
        response: {
          200: z.object({
            from: z.string().nullable(),
            to: z.string().nullable(),
            rows: z.number(),
            promoDays: z.number(),
            departments: z.array(z.string()),
            channels: z.array(z.string()),
            series: z.array(
              z.object({
                department: z.string(),
                channel: z.string(),
                from: z.string(),
                to: z.string(),
                rows: z.number(),
                promoDays: z.number(),
                salesValue: z.number(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => getSalesSummary(request.serviceContext()),
  );

  app.get(
    '/api/promotions/sales/daily',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['promotions'],
        summary: 'Daily sales, margin and units over a department and/or channel, promo days marked, with the baseline overlaid (default: the last 90 days)',
        querystring: salesDailyQuery,
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            department: z.string().nullable(),
            channel: z.string().nullable(),
            lastSalesDate: z.string().nullable(),
            baselineModel: z.string(),
            modelBySeries: z.record(z.string(), z.string()),
            baselineNote: z.string(),
            days: z.array(
              z.object({
                date: z.string(),
                salesValue: z.number().nullable(),
                marginValue: z.number().nullable(),
                units: z.number().nullable(),
                promo: z.boolean(),
                discountPct: z.number().nullable(),
                baselineSalesValue: z.number(),
                baselineMarginValue: z.number(),
                baselineUnits: z.number(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => getSalesDaily(request.serviceContext(), request.query),
  );

  app.get(
    '/api/promotions/forecast',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['promotions'],
        summary:
          'Baseline (no-promotion) forecast per department × channel × day from the model the newest backtest chose (default: the 28 days after the last sales date)',
        querystring: forecastQuery,
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            trainedThrough: z.string().nullable(),
            model: z.string(),
            modelBySeries: z.record(z.string(), z.string()),
            totals: z.object({ salesValue: z.number(), marginValue: z.number(), units: z.number() }),
            days: z.array(baselineDaySchema),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const ctx = request.serviceContext();
      const q = request.query;
      const last = await lastSalesDate(ctx);
      const anchor = q.trainedThrough && last && q.trainedThrough < last ? q.trainedThrough : last;
      const from = q.from ?? (anchor ? addDays(anchor, 1) : ctx.clock.now().toISOString().slice(0, 10));
      const to = q.to ?? addDays(from, 27);
      if (from > to) throw validationFailedTo('Must be on or after from');
      if (Date.parse(to) - Date.parse(from) >= maxForecastDays * 86_400_000) throw validationFailedTo(`At most ${maxForecastDays} days after from`);
      if (q.department) await assertDepartmentExists(ctx, q.department);
      const result = await forecastBaseline(ctx, {
        from,
        to,
        departments: q.department ? [q.department] : undefined,
        channels: q.channel ? [q.channel] : undefined,
        trainedThrough: q.trainedThrough,
      });
      const totals = { salesValue: 0, marginValue: 0, units: 0 };
      for (const d of result.days) {
        totals.salesValue += d.salesValue;
        totals.marginValue += d.marginValue;
        totals.units += d.units;
      }
      return { from, to, trainedThrough: anchor ?? null, ...result, totals };
    },
  );

  app.post(
    '/api/promotions/backtests',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['promotions'],
        summary:
          'Starts the rolling-origin backtest of the baseline models (WAPE and MASE per department × channel next to seasonal naive and the seed weekday baseline) in the background: ' +
          'answers 202 with the running run at once (409 while another runs for the organization); poll GET /backtests/:id for parameters.progress ' +
          '({ step, current, total, series }) until it is completed (the stored forecasts are then refreshed with the models it chose) or failed (errorMessage)',
        body: backtestInput.optional(),
        response: { 202: backtestRunSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { run } = await startBacktestRun(request.serviceContext(), request.body ?? {});
      return reply.code(202).send(run);
    },
  );

  app.get(
    '/api/promotions/backtests',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['promotions'],
        summary: 'Backtest runs, newest first (parameters and totals; the per-series results are in GET /backtests/:id)',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20), offset: z.coerce.number().int().min(0).default(0) }),
        response: { 200: pageSchema(z.object({ ...backtestHead, seriesCount: z.number() })), ...errorResponses },
      },
    },
    async (request) => listBacktests(request.serviceContext(), request.query),
  );

  app.get(
    '/api/promotions/backtests/latest',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['promotions'],
        summary: 'The newest completed backtest with its per-series results (the one that decides the model per series)',
        response: { 200: backtestRunSchema, ...errorResponses },
      },
    },
    async (request) => getLatestBacktest(request.serviceContext()),
  );

  app.get(
    '/api/promotions/backtests/:id',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['promotions'],
        summary: 'One backtest run with its per-series results; while it runs, parameters.progress = { step, current, total, series }',
        params: idParams,
        response: { 200: backtestRunSchema, ...errorResponses },
      },
    },
    async (request) => getBacktest(request.serviceContext(), request.params.id),
  );
}

const validationFailedTo = (message: string) => validationFailed(`The forecast range is invalid: ${message.toLowerCase()}.`, [{ path: 'to', message }]);
