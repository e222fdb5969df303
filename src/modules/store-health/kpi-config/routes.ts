import { z } from 'zod';
import { pageSchema } from '../../../core/db/list-query.js';
import { errorResponses, idParams } from '../../../core/http/routes/schemas.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import {
  createKpi,
  deleteKpiThreshold,
  getKpi,
  getKpiThresholds,
  kpiInput,
  kpiPatch,
  listKpis,
  listKpisQuery,
  putKpiThreshold,
  thresholdPut,
  updateKpi,
} from './service.js';

const tags = ['store-health'];
const basis = z.enum(['rolling_4w', 'same_period_ly', 'absolute']);

export const thresholdSchema = z.object({
  id: z.string(),
  kpiDefinitionId: z.string(),
  storeId: z.string().nullable(),
  storeCode: z.string().nullable(),
  greenMin: z.number(),
  yellowMin: z.number().nullable(),
  redThreshold: z.number().nullable(),
  comparisonBasis: basis,
  priority: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export const kpiSchema = z.object({
  id: z.string(),
  kpiCode: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  unit: z.string(),
  calculationMethod: z.string(),
  category: z.string(),
  direction: z.string(),
  isActive: z.boolean(),
  threshold: z
    .object({
      id: z.string(),
      greenMin: z.number(),
      yellowMin: z.number().nullable(),
      redThreshold: z.number().nullable(),
      comparisonBasis: basis,
      priority: z.number(),
    })
    .nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

/** KPI definitions and thresholds: read by viewers, changed by managers. */
export async function registerKpiConfigRoutes(app: TypedApp, _deps: AppDeps): Promise<void> {
  app.get(
    '/api/store-health/kpis',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'KPI definitions with their organization default threshold',
        querystring: listKpisQuery,
        response: { 200: pageSchema(kpiSchema), ...errorResponses },
      },
    },
    async (request) => listKpis(request.serviceContext(), request.query),
  );
  app.get(
    '/api/store-health/kpis/:id',
    { config: { access: 'viewer' }, schema: { tags, params: idParams, response: { 200: kpiSchema, ...errorResponses } } },
    async (request) => getKpi(request.serviceContext(), request.params.id),
  );
  app.post(
    '/api/store-health/kpis',
    {
      config: { access: 'manager' },
      schema: {
        tags,
        summary: 'Define a KPI (optionally with its organization default threshold)',
        body: kpiInput,
        response: { 201: kpiSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createKpi(request.serviceContext(), request.body)),
  );
  app.patch(
    '/api/store-health/kpis/:id',
    {
      config: { access: 'manager' },
      schema: {
        tags,
        summary: 'Change a KPI; `threshold` replaces the organization default (null removes it)',
        params: idParams,
        body: kpiPatch,
        response: { 200: kpiSchema, ...errorResponses },
      },
    },
    async (request) => updateKpi(request.serviceContext(), request.params.id, request.body),
  );
  app.get(
    '/api/store-health/kpis/:id/thresholds',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'The organization default and the store overrides (an override wins for its store)',
        params: idParams,
        response: { 200: z.object({ organizationDefault: thresholdSchema.nullable(), storeOverrides: z.array(thresholdSchema) }), ...errorResponses },
      },
    },
    async (request) => getKpiThresholds(request.serviceContext(), request.params.id),
  );
  app.put(
    '/api/store-health/kpis/:id/thresholds',
    {
      config: { access: 'manager' },
      schema: {
        tags,
        summary: 'Set the organization default (no storeId) or one store’s override',
        description:
          'higher_is_better KPIs need greenMin ≥ yellowMin ≥ redThreshold; lower_is_better KPIs need greenMin ≤ yellowMin ≤ redThreshold. yellowMin and redThreshold may be left empty.',
        params: idParams,
        body: thresholdPut,
        response: { 200: thresholdSchema, ...errorResponses },
      },
    },
    async (request) => putKpiThreshold(request.serviceContext(), request.params.id, request.body),
  );
  app.delete(
    '/api/store-health/kpis/:id/thresholds/:thresholdId',
    { config: { access: 'manager' }, schema: { tags, params: z.object({ id: z.uuid(), thresholdId: z.uuid() }) } },
    async (request, reply) => {
      await deleteKpiThreshold(request.serviceContext(), request.params.id, request.params.thresholdId);
      return reply.status(204).send();
    },
  );
}
