import { z } from 'zod';
import { pageSchema } from '../../../core/db/list-query.js';
import { errorResponses, idParams } from '../../../core/http/routes/schemas.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import { computeOpportunities, listOpportunities, monthSchema, nextMonthOf, seedScenariosFromOpportunity, seedScenariosInput } from './opportunities.js';
import {
  copyScenario,
  copyScenarioInput,
  createScenario,
  createScenarioInput,
  deleteScenario,
  getScenario,
  getScenarioKpis,
  listScenarios,
  listScenariosQuery,
  previewScenarioKpis,
  scenarioDraftInput,
  updateScenario,
  updateScenarioInput,
} from './scenario-service.js';
import { coefficientHistoryQuery, currentUpliftCoefficients, fitUpliftFromHistory, upliftCoefficientHistory } from './uplift-coefficients.js';

const tags = ['promotions'];

const mechanicOut = z.object({
  department: z.string(),
  channel: z.string(),
  discount_pct: z.number(),
  segments: z.array(z.string()),
  notes: z.string().optional(),
});

export const scenarioKpiSchema = z.object({
  id: z.string(),
  scenarioId: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  totalSalesValue: z.number(),
  totalMarginValue: z.number(),
  totalMarginPct: z.number(),
  totalEbit: z.number(),
  totalUnits: z.number(),
  salesValueDelta: z.number(),
  marginValueDelta: z.number(),
  ebitDelta: z.number(),
  unitsDelta: z.number(),
  kpiBreakdown: z.record(z.string(), z.unknown()),
  baselineSalesValue: z.number(),
  baselineMarginValue: z.number(),
  baselineEbit: z.number(),
  baselineUnits: z.number(),
  promoCosts: z.number(),
  upliftModelVersion: z.string(),
  baselineModel: z.string(),
  isCurrent: z.boolean(),
  createdAt: z.date(),
});

export const scenarioSchema = z.object({
  id: z.string(),
  label: z.string(),
  sourceOpportunityId: z.string().nullable(),
  dateRangeStart: z.string(),
  dateRangeEnd: z.string(),
  scenarioType: z.string().nullable(),
  mechanics: z.array(mechanicOut),
  createdBy: z.string().nullable(),
  status: z.string(),
  description: z.string().nullable(),
  copiedFromId: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  currentKpis: scenarioKpiSchema.nullable(),
});

const coefficientOut = z.object({
  department: z.string(),
  channel: z.string(),
  discountBand: z.string(),
  upliftSalesPct: z.number(),
  upliftUnitsPct: z.number(),
  marginImpactPct: z.number(),
  confidence: z.number().nullable(),
  sampleSize: z.number().nullable(),
  modelVersion: z.string(),
  postPromoDipPct: z.number().nullable(),
  cannibalizationPct: z.number().nullable(),
  referenceDiscountPct: z.number().optional(),
  source: z.string().optional(),
});

const previewSchema = z.object({
  periodStart: z.string(),
  periodEnd: z.string(),
  totalSalesValue: z.number(),
  totalMarginValue: z.number(),
  totalMarginPct: z.number(),
  totalEbit: z.number(),
  totalUnits: z.number(),
  salesValueDelta: z.number(),
  marginValueDelta: z.number(),
  ebitDelta: z.number(),
  unitsDelta: z.number(),
  baselineSalesValue: z.number(),
  baselineMarginValue: z.number(),
  baselineEbit: z.number(),
  baselineUnits: z.number(),
  promoCosts: z.number(),
  kpiBreakdown: z.record(z.string(), z.unknown()),
  perMechanic: z.array(
    z.object({
      index: z.number(),
      department: z.string(),
      channel: z.string(),
      discountPct: z.number(),
      segments: z.array(z.string()),
      baselineSalesValue: z.number(),
      baselineMarginValue: z.number(),
      baselineUnits: z.number(),
      salesValue: z.number(),
      marginValue: z.number(),
      units: z.number(),
      promoCosts: z.number(),
      coefficient: coefficientOut,
    }),
  ),
  upliftModelVersion: z.string(),
  baselineModel: z.string(),
  ms: z.number(),
});

export const opportunitySchema = z.object({
  id: z.string(),
  month: z.string(),
  department: z.string(),
  channel: z.string(),
  forecastSalesValue: z.number(),
  forecastMarginValue: z.number(),
  forecastUnits: z.number(),
  targetSalesValue: z.number(),
  targetMarginPct: z.number().nullable(),
  gapValue: z.number(),
  gapPct: z.number(),
  rank: z.number(),
  status: z.string(),
  forecastModel: z.string(),
  details: z.record(z.string(), z.unknown()),
  computedAt: z.date(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const upliftCoefficientSchema = z.object({
  id: z.string(),
  department: z.string(),
  channel: z.string(),
  discountBand: z.string(),
  upliftSalesPct: z.number(),
  upliftUnitsPct: z.number(),
  marginImpactPct: z.number(),
  confidence: z.number().nullable(),
  sampleSize: z.number().nullable(),
  modelVersion: z.string(),
  source: z.string(),
  postPromoDipPct: z.number().nullable(),
  cannibalizationPct: z.number().nullable(),
  postMortemId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
});

const fitResultSchema = z.object({
  modelVersion: z.string().nullable(),
  coefficients: z.array(upliftCoefficientSchema),
  promoDays: z.number(),
  skippedDays: z.array(z.object({ reason: z.string(), count: z.number() })),
  baselineModel: z.string(),
});

const monthQuery = z.object({ month: monthSchema.optional() });

/** Promotions planning routes, under /api/promotions: scenarios and their KPIs, opportunities, uplift coefficients. */
export async function registerPlanningRoutes(app: TypedApp, _deps: AppDeps): Promise<void> {
  app.get(
    '/api/promotions/scenarios',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Scenarios with their current KPIs, newest first',
        querystring: listScenariosQuery,
        response: { 200: pageSchema(scenarioSchema), ...errorResponses },
      },
    },
    async (request) => listScenarios(request.serviceContext(), request.query),
  );
  app.post(
    '/api/promotions/scenarios',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Create a scenario; its KPIs are computed in the same transaction',
        body: createScenarioInput,
        response: { 201: scenarioSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createScenario(request.serviceContext(), request.body)),
  );
  app.post(
    '/api/promotions/scenarios/preview',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'KPIs of a draft scenario without saving anything (live what-if)',
        body: scenarioDraftInput,
        response: { 200: previewSchema, ...errorResponses },
      },
    },
    async (request) => previewScenarioKpis(request.serviceContext(), request.body),
  );
  app.get(
    '/api/promotions/scenarios/:id',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'One scenario with its current KPIs', params: idParams, response: { 200: scenarioSchema, ...errorResponses } },
    },
    async (request) => getScenario(request.serviceContext(), request.params.id),
  );
  app.patch(
    '/api/promotions/scenarios/:id',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Edit a scenario; saving recomputes its KPIs (the previous KPIs stay as history)',
        params: idParams,
        body: updateScenarioInput,
        response: { 200: scenarioSchema, ...errorResponses },
      },
    },
    async (request) => updateScenario(request.serviceContext(), request.params.id, request.body),
  );
  app.delete(
    '/api/promotions/scenarios/:id',
    {
      config: { access: 'staff' },
      schema: { tags, summary: 'Delete a scenario with its KPIs, validation, brief and post-mortem', params: idParams },
    },
    async (request, reply) => {
      await deleteScenario(request.serviceContext(), request.params.id);
      return reply.status(204).send();
    },
  );
  app.post(
    '/api/promotions/scenarios/:id/copy',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Copy a scenario ("Copy of …" unless a label is given)',
        params: idParams,
        body: copyScenarioInput.nullish(),
        response: { 201: scenarioSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await copyScenario(request.serviceContext(), request.params.id, request.body ?? {})),
  );
  app.get(
    '/api/promotions/scenarios/:id/kpis',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: "A scenario's current KPIs and every earlier computation",
        params: idParams,
        response: { 200: z.object({ current: scenarioKpiSchema.nullable(), history: z.array(scenarioKpiSchema) }), ...errorResponses },
      },
    },
    async (request) => getScenarioKpis(request.serviceContext(), request.params.id),
  );

  app.get(
    '/api/promotions/opportunities',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: "A month's opportunities (default: next month), largest gap first",
        querystring: monthQuery,
        response: { 200: z.array(opportunitySchema), ...errorResponses },
      },
    },
    async (request) => listOpportunities(request.serviceContext(), request.query),
  );
  app.post(
    '/api/promotions/opportunities/compute',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Compute the gap between baseline forecast and target per department × channel for a month (default: next month)',
        body: monthQuery.nullish(),
        response: { 200: z.array(opportunitySchema), ...errorResponses },
      },
    },
    async (request) => {
      const ctx = request.serviceContext();
      return computeOpportunities(ctx, { month: request.body?.month ?? nextMonthOf(ctx) });
    },
  );
  app.post(
    '/api/promotions/opportunities/:id/scenarios',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Seed conservative / balanced / aggressive scenarios that close the gap; marks the opportunity planned',
        params: idParams,
        body: seedScenariosInput.nullish(),
        response: { 201: z.object({ opportunity: opportunitySchema, scenarios: z.array(scenarioSchema) }), ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await seedScenariosFromOpportunity(request.serviceContext(), request.params.id, request.body ?? {})),
  );

  app.get(
    '/api/promotions/uplift-coefficients',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'The coefficients in force: the newest model_version per department × channel × discount band',
        response: { 200: z.array(upliftCoefficientSchema), ...errorResponses },
      },
    },
    async (request) => currentUpliftCoefficients(request.serviceContext()),
  );
  app.get(
    '/api/promotions/uplift-coefficients/history',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Every version of one coefficient, oldest first',
        querystring: coefficientHistoryQuery,
        response: { 200: z.array(upliftCoefficientSchema), ...errorResponses },
      },
    },
    async (request) => upliftCoefficientHistory(request.serviceContext(), request.query),
  );
  app.post(
    '/api/promotions/uplift-coefficients/fit',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Fit uplift from the sales history (promo days vs baseline) as a new model_version',
        response: { 200: fitResultSchema, ...errorResponses },
      },
    },
    async (request) => fitUpliftFromHistory(request.serviceContext()),
  );
}
