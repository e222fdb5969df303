import { z } from 'zod';
import { pageSchema } from '../../../core/db/list-query.js';
import { errorResponses } from '../../../core/http/routes/schemas.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import { backtestReportSchema, getLatestBacktest, runBacktest } from './backtest-service.js';
import { isoDateSchema, listPredictions, listPredictionsQuery, maxHorizonDays } from './service.js';

const predictionSchema = z.object({
  id: z.string(),
  storeId: z.string(),
  storeCode: z.string(),
  kpiId: z.string().nullable(),
  kpiCode: z.string().nullable(),
  predictionDate: z.string(),
  targetDate: z.string(),
  predictionType: z.string(),
  predictedStatus: z.string(),
  predictedValue: z.number().nullable(),
  confidenceScore: z.number().nullable(),
  contributingFactors: z.array(z.record(z.string(), z.unknown())),
  modelVersion: z.string(),
});

const backtestBody = z.object({
  from: isoDateSchema,
  to: isoDateSchema,
  horizonDays: z.number().int().min(1).max(maxHorizonDays).optional(),
});

export async function registerPredictionRoutes(app: TypedApp, _deps: AppDeps) {
  app.get(
    '/api/store-health/predictions',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['store-health'],
        summary: 'Predicted status per store and KPI (and overall) for the coming days, with confidence and contributing factors',
        querystring: listPredictionsQuery,
        response: { 200: pageSchema(predictionSchema), ...errorResponses },
      },
    },
    async (request) => listPredictions(request.serviceContext(), request.query),
  );

  app.post(
    '/api/store-health/backtest',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['store-health'],
        summary: `Replay history: accuracy of the predicted status next to persistence and seasonal-naive baselines, and the escalation load per level (at most 120 days)`,
        body: backtestBody,
        response: { 200: backtestReportSchema, ...errorResponses },
      },
    },
    async (request) => runBacktest(request.serviceContext(), request.body),
  );

  app.get(
    '/api/store-health/backtests/latest',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['store-health'],
        summary: 'The latest backtest report of this organization',
        response: { 200: backtestReportSchema, ...errorResponses },
      },
    },
    async (request) => getLatestBacktest(request.serviceContext()),
  );
}
