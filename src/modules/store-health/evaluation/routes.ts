import { z } from 'zod';
import { errorResponses, idParams } from '../../../core/http/routes/schemas.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import { validationFailed } from '../../../core/errors.js';
import { daysBetween } from '../shared/dates.js';
import { maxEvaluationDays } from './evaluate-range.js';
import { getOverview, getStoreHealth, isoDateSchema, overviewQuery, storeHealthQuery } from './health-read-service.js';
import { evaluateJobName } from './jobs.js';

const kpiStatus = z.enum(['green', 'yellow', 'red', 'closed', 'no_data']);
const counts = z.object({ green: z.number(), yellow: z.number(), red: z.number(), closed: z.number(), no_data: z.number(), stores: z.number() });
const overviewStore = z.object({
  id: z.string(),
  storeCode: z.string(),
  name: z.string(),
  overallStatus: kpiStatus,
  healthScore: z.number().nullable(),
  redKpiCount: z.number(),
  yellowKpiCount: z.number(),
  greenKpiCount: z.number(),
  escalationLevel: z.number(),
  riskProbability: z.number().nullable(),
  actionRequired: z.boolean(),
  summary: z.string().nullable(),
});
const overviewSchema = z.object({
  date: z.string().nullable(),
  totals: counts,
  regions: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      worstStatus: kpiStatus,
      counts,
      districts: z.array(z.object({ id: z.string(), name: z.string(), worstStatus: kpiStatus, counts, stores: z.array(overviewStore) })),
    }),
  ),
});

const thresholdBasis = z.enum(['rolling_4w', 'same_period_ly', 'absolute']);
const storeHealthSchema = z.object({
  store: z.object({
    id: z.string(),
    storeCode: z.string(),
    name: z.string(),
    address: z.string().nullable(),
    city: z.string().nullable(),
    state: z.string().nullable(),
    zipCode: z.string().nullable(),
    timezone: z.string(),
    phone: z.string().nullable(),
    managerName: z.string().nullable(),
    managerPhone: z.string().nullable(),
    managerEmail: z.string().nullable(),
    regionId: z.string().nullable(),
    regionName: z.string().nullable(),
    districtId: z.string().nullable(),
    districtName: z.string().nullable(),
    status: z.string(),
    openingHours: z.record(z.string(), z.array(z.object({ open: z.string(), close: z.string() }))),
    metadata: z.record(z.string(), z.unknown()),
  }),
  snapshots: z.array(overviewStore.omit({ id: true, storeCode: true, name: true }).extend({ snapshotDate: z.string() })),
  kpis: z.array(
    z.object({
      kpi: z.object({ id: z.string(), kpiCode: z.string(), name: z.string(), unit: z.string(), direction: z.string(), category: z.string() }),
      threshold: z
        .object({
          greenMin: z.number(),
          yellowMin: z.number().nullable(),
          redThreshold: z.number().nullable(),
          comparisonBasis: thresholdBasis,
          priority: z.number(),
          source: z.enum(['store', 'organization']),
        })
        .nullable(),
      series: z.array(
        z.object({
          date: z.string(),
          value: z.number().nullable(),
          comparisonValue: z.number().nullable(),
          variancePct: z.number().nullable(),
          status: kpiStatus.nullable(),
        }),
      ),
      currentStatus: kpiStatus.nullable(),
      daysInStatus: z.number().nullable(),
    }),
  ),
  statusHistory: z.array(
    z.object({
      date: z.string(),
      kpiCode: z.string(),
      previousStatus: kpiStatus.nullable(),
      currentStatus: kpiStatus,
      value: z.number().nullable(),
      variancePct: z.number().nullable(),
      durationInStatus: z.number(),
    }),
  ),
});

const evaluateBody = z.object({ from: isoDateSchema, to: isoDateSchema });

const tags = ['store-health'];

/** Overview, one store's health over time, and queueing an evaluation. */
export async function registerEvaluationRoutes(app: TypedApp, deps: AppDeps) {
  app.get(
    '/api/store-health/overview',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Regions → districts → stores of one day, worst first (default: the latest evaluated day)',
        querystring: overviewQuery,
        response: { 200: overviewSchema, ...errorResponses },
      },
    },
    async (request) => getOverview(request.serviceContext(), request.query),
  );
  app.get(
    '/api/store-health/stores/:id/health',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: "A store's snapshots, KPI series with thresholds and status history (default: the last 56 days)",
        params: idParams,
        querystring: storeHealthQuery,
        response: { 200: storeHealthSchema, ...errorResponses },
      },
    },
    async (request) => getStoreHealth(request.serviceContext(), request.params.id, request.query),
  );
  app.post(
    '/api/store-health/evaluate',
    {
      config: { access: 'manager' },
      schema: {
        tags,
        summary: 'Queue an evaluation of a date range',
        body: evaluateBody,
        response: { 202: z.object({ jobId: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = request.serviceContext();
      const { from, to } = request.body;
      if (from > to) throw validationFailed('The evaluation range is not valid.', [{ path: 'to', message: 'Must be on or after "from"' }]);
      if (daysBetween(from, to) + 1 > maxEvaluationDays) {
        throw validationFailed('The evaluation range is too long.', [{ path: 'to', message: `Evaluate at most ${maxEvaluationDays} days at once` }]);
      }
      const jobId = await deps.jobs.enqueue(evaluateJobName, { organizationId: ctx.organization.id, from, to });
      return reply.status(202).send({ jobId });
    },
  );
}
