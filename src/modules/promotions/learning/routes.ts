import { z } from 'zod';
import { pageSchema } from '../../../core/db/list-query.js';
import { errorResponses, idParams } from '../../../core/http/routes/schemas.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import { comparisonQuery, comparisonSchema, compareScenarios } from './comparison-service.js';
import {
  brandSettingsSchema,
  briefInput,
  draftCreativeBrief,
  getCreativeBrief,
  loadBrandSettings,
  updateBrandSettings,
  updateCreativeBrief,
} from './creative-brief-service.js';
import { getPostMortem, listPostMortems, listPostMortemsQuery, runPostMortem } from './post-mortem-service.js';
import { getValidationReport, validateScenario } from './validation-service.js';
import { loadValidationSettings, updateValidationSettings, validationSettingsPatch, validationSettingsSchema } from './validation-settings.js';

const tags = ['promotions'];
const json = z.record(z.string(), z.unknown());

export const validationIssueSchema = z
  .object({
    type: z.string(),
    severity: z.enum(['low', 'medium', 'high', 'blocker']),
    message: z.string(),
    suggested_fix: z.string().optional(),
    affected_department: z.string().optional(),
    affected_channel: z.string().optional(),
  })
  .catchall(z.unknown());

export const validationReportSchema = z.object({
  id: z.string(),
  scenarioId: z.string(),
  status: z.enum(['PASS', 'WARN', 'BLOCK']),
  issues: z.array(validationIssueSchema).nullable(),
  overallScore: z.number().nullable(),
  kpiId: z.string().nullable(),
  thresholds: json,
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const postMortemSchema = z.object({
  id: z.string(),
  scenarioId: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  forecastKpiId: z.string().nullable(),
  actualSalesValue: z.number(),
  actualMarginValue: z.number(),
  actualMarginPct: z.number(),
  actualEbit: z.number(),
  actualUnits: z.number(),
  salesValueErrorPct: z.number(),
  marginValueErrorPct: z.number(),
  ebitErrorPct: z.number(),
  unitsErrorPct: z.number(),
  postPromoDip: json.nullable(),
  cannibalizationSignals: z.array(json).nullable(),
  insights: z.array(z.string()).nullable(),
  learningPoints: z.array(z.string()).nullable(),
  learnedModelVersion: z.string().nullable(),
  details: json,
  createdAt: z.date(),
});

const learnedCoefficientSchema = z.object({
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
  details: json,
  createdAt: z.date(),
});

const briefSchema = z.object({
  id: z.string(),
  scenarioId: z.string(),
  brief: json,
  assets: z.array(json).nullable(),
  generatedBy: z.string(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

/** Promotions learning routes, under /api/promotions: validation, comparison, post-mortems, creative briefs, settings. */
export async function registerLearningRoutes(app: TypedApp, deps: AppDeps): Promise<void> {
  app.post(
    '/api/promotions/scenarios/:id/validate',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Validate a scenario: PASS / WARN / BLOCK with issues and computed fixes',
        params: idParams,
        response: { 200: validationReportSchema, ...errorResponses },
      },
    },
    async (request) => validateScenario(request.serviceContext(), request.params.id),
  );
  app.get(
    '/api/promotions/scenarios/:id/validation',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: "A scenario's validation report", params: idParams, response: { 200: validationReportSchema, ...errorResponses } },
    },
    async (request) => getValidationReport(request.serviceContext(), request.params.id),
  );
  app.get(
    '/api/promotions/comparison',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Scenarios side by side, with a recommendation',
        querystring: comparisonQuery,
        response: { 200: comparisonSchema, ...errorResponses },
      },
    },
    async (request) => compareScenarios(request.serviceContext(), request.query.ids),
  );
  app.get(
    '/api/promotions/settings/validation',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'Validation thresholds and learning weights in force', response: { 200: validationSettingsSchema, ...errorResponses } },
    },
    async (request) => loadValidationSettings(request.serviceContext()),
  );
  app.put(
    '/api/promotions/settings/validation',
    {
      config: { access: 'manager' },
      schema: {
        tags,
        summary: 'Change validation thresholds (any subset)',
        body: validationSettingsPatch,
        response: { 200: validationSettingsSchema, ...errorResponses },
      },
    },
    async (request) => updateValidationSettings(request.serviceContext(), request.body),
  );
  app.get(
    '/api/promotions/settings/brand',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'Legal and brand elements every creative brief carries', response: { 200: brandSettingsSchema, ...errorResponses } },
    },
    async (request) => loadBrandSettings(request.serviceContext()),
  );
  app.put(
    '/api/promotions/settings/brand',
    {
      config: { access: 'manager' },
      schema: {
        tags,
        summary: 'Change the legal and brand elements of briefs',
        body: brandSettingsSchema.partial().strict(),
        response: { 200: brandSettingsSchema, ...errorResponses },
      },
    },
    async (request) => updateBrandSettings(request.serviceContext(), request.body),
  );
  app.post(
    '/api/promotions/scenarios/:id/post-mortem',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Run (or re-run) the post-mortem of a finished scenario and learn a new uplift model version',
        params: idParams,
        response: { 200: z.object({ report: postMortemSchema, coefficients: z.array(learnedCoefficientSchema) }), ...errorResponses },
      },
    },
    async (request) => runPostMortem(request.serviceContext(), request.params.id, { ai: deps.ai }),
  );
  app.get(
    '/api/promotions/scenarios/:id/post-mortem',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: "A scenario's post-mortem", params: idParams, response: { 200: postMortemSchema, ...errorResponses } },
    },
    async (request) => getPostMortem(request.serviceContext(), request.params.id),
  );
  app.get(
    '/api/promotions/post-mortems',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Post-mortems, newest first',
        querystring: listPostMortemsQuery,
        response: { 200: pageSchema(postMortemSchema.extend({ scenarioLabel: z.string() })), ...errorResponses },
      },
    },
    async (request) => listPostMortems(request.serviceContext(), request.query),
  );
  app.post(
    '/api/promotions/scenarios/:id/brief',
    {
      config: { access: 'staff' },
      schema: { tags, summary: 'Draft (or re-draft) the creative brief and assets', params: idParams, response: { 200: briefSchema, ...errorResponses } },
    },
    async (request) => draftCreativeBrief(request.serviceContext(), request.params.id, { ai: deps.ai }),
  );
  app.get(
    '/api/promotions/scenarios/:id/brief',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: "A scenario's creative brief", params: idParams, response: { 200: briefSchema, ...errorResponses } },
    },
    async (request) => getCreativeBrief(request.serviceContext(), request.params.id),
  );
  app.put(
    '/api/promotions/scenarios/:id/brief',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Edit the creative brief (generated_by becomes "edited")',
        params: idParams,
        body: briefInput,
        response: { 200: briefSchema, ...errorResponses },
      },
    },
    async (request) => updateCreativeBrief(request.serviceContext(), request.params.id, request.body),
  );
}
