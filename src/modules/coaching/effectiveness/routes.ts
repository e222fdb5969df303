import { z } from 'zod';
import { errorResponses, idParams } from '../../../core/http/routes/schemas.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import { getEffectiveness, listEffectiveness, listEffectivenessQuery } from './read-service.js';

const tags = ['coaching'];
const json = z.record(z.string(), z.unknown());

export const effectivenessSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  sessionId: z.string().nullable(),
  agentId: z.string(),
  agentName: z.string(),
  teamLeaderId: z.string(),
  teamLeaderName: z.string(),
  primaryIssue: z.string().nullable(),
  interventionMethod: z.string().nullable(),
  coachedOn: z.string().nullable(),
  issueMetric: z.string().nullable(),
  status: z.enum(['MEASURING', 'EVALUATED']),
  metricsBefore: json.nullable(),
  metricsAfter: json.nullable(),
  measurementPeriodDays: z.number(),
  improvementPercentage: z.number().nullable(),
  didEffect: z.number().nullable(),
  peerCount: z.number().nullable(),
  sustainedAfter30Days: z.boolean().nullable(),
  sustainedAfter90Days: z.boolean().nullable(),
  successFactors: z.array(z.string()).nullable(),
  failureFactors: z.array(z.string()).nullable(),
  recommendedForSimilarIssues: z.boolean(),
  notes: z.string().nullable(),
  createdAt: z.date(),
});

const summarySchema = z.object({
  issue: z.string(),
  method: z.string(),
  n: z.number(),
  evaluated: z.number(),
  meanImprovementPct: z.number().nullable(),
  meanDid: z.number().nullable(),
  didN: z.number(),
  tStat: z.number().nullable(),
  sustained30Rate: z.number().nullable(),
  sustained90Rate: z.number().nullable(),
  recommended: z.boolean(),
});

/** Coaching effectiveness routes, under /api/coaching. */
export async function registerEffectivenessRoutes(app: TypedApp, _deps: AppDeps): Promise<void> {
  app.get(
    '/api/coaching/effectiveness',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Coaching effectiveness records you may see, with a summary per issue × method',
        querystring: listEffectivenessQuery,
        response: { 200: z.object({ items: z.array(effectivenessSchema), summary: z.array(summarySchema) }), ...errorResponses },
      },
    },
    async (request) => listEffectiveness(request.serviceContext(), request.query),
  );
  app.get(
    '/api/coaching/effectiveness/:id',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'One coaching effectiveness record', params: idParams, response: { 200: effectivenessSchema, ...errorResponses } },
    },
    async (request) => getEffectiveness(request.serviceContext(), request.params.id),
  );
}
