import { z } from 'zod';
import { errorResponses, idParams } from '../../../core/http/routes/schemas.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import {
  approvePlan,
  cancelPlan,
  cancelPlanInput,
  checkInPlan,
  closePlan,
  closePlanInput,
  createPlan,
  createPlanInput,
  extendPlan,
  extendPlanInput,
  getPlan,
  listPlans,
  listPlansQuery,
  updatePlan,
  updatePlanInput,
} from './plan-service.js';
import { getPlanTriggers, planTriggersPatch, planTriggersSchema, updatePlanTriggers } from './proposal-service.js';

const tags = ['coaching'];
const json = z.record(z.string(), z.unknown());

export const planSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  agentId: z.string(),
  agentName: z.string(),
  createdBy: z.string(),
  createdByName: z.string(),
  approvedBy: z.string().nullable(),
  approvedByName: z.string().nullable(),
  startDate: z.string(),
  targetEndDate: z.string(),
  actualEndDate: z.string().nullable(),
  extensionCount: z.number(),
  status: z.string(),
  reasonForPlan: z.string(),
  targetMetrics: z.record(z.string(), json),
  successCriteria: json,
  checkInFrequency: z.string(),
  nextCheckInDate: z.string().nullable(),
  progressUpdates: z.array(json).nullable(),
  currentScore: z.number().nullable(),
  outcome: z.string().nullable(),
  outcomeNotes: z.string().nullable(),
  lessonsLearned: z.string().nullable(),
  checkInCount: z.number(),
  lastCheckIn: json.nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

const planDetailSchema = planSchema.extend({
  evaluations: z.array(
    z.object({
      date: z.string(),
      window: json,
      score: z.number().nullable(),
      mandatoryMet: z.boolean(),
      criteria: z.array(z.object({ criterion: z.string(), met: z.boolean(), value: z.number().nullable() })),
      metrics: z.record(z.string(), z.number().nullable()),
    }),
  ),
});

/** Coaching plans routes, under /api/coaching. */
export async function registerPlansRoutes(app: TypedApp, _deps: AppDeps): Promise<void> {
  app.get(
    '/api/coaching/plans',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Improvement plans of the people you see',
        querystring: listPlansQuery,
        response: { 200: z.object({ items: z.array(planSchema) }), ...errorResponses },
      },
    },
    async (request) => listPlans(request.serviceContext(), request.query),
  );
  app.post(
    '/api/coaching/plans',
    {
      config: { access: 'staff' },
      schema: { tags, summary: 'Draft an improvement plan for an agent you manage', body: createPlanInput, response: { 201: planSchema, ...errorResponses } },
    },
    async (request, reply) => reply.code(201).send(await createPlan(request.serviceContext(), request.body)),
  );
  app.get(
    '/api/coaching/plans/:id',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'An improvement plan with its evaluation history', params: idParams, response: { 200: planDetailSchema, ...errorResponses } },
    },
    async (request) => getPlan(request.serviceContext(), request.params.id),
  );
  app.patch(
    '/api/coaching/plans/:id',
    {
      config: { access: 'staff' },
      schema: { tags, summary: 'Edit an unapproved draft plan', params: idParams, body: updatePlanInput, response: { 200: planSchema, ...errorResponses } },
    },
    async (request) => updatePlan(request.serviceContext(), request.params.id, request.body),
  );
  app.post(
    '/api/coaching/plans/:id/approve',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Approve a draft plan (a manager or admin above the agent, not its author); ACTIVE from its start date',
        params: idParams,
        response: { 200: planSchema, ...errorResponses },
      },
    },
    async (request) => approvePlan(request.serviceContext(), request.params.id),
  );
  app.post(
    '/api/coaching/plans/:id/check-ins',
    {
      config: { access: 'staff' },
      schema: { tags, summary: 'Evaluate targets and mandatory criteria now', params: idParams, response: { 200: planSchema, ...errorResponses } },
    },
    async (request) => checkInPlan(request.serviceContext(), request.params.id),
  );
  app.post(
    '/api/coaching/plans/:id/extend',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Extend a running plan to a later end date',
        params: idParams,
        body: extendPlanInput,
        response: { 200: planSchema, ...errorResponses },
      },
    },
    async (request) => extendPlan(request.serviceContext(), request.params.id, request.body),
  );
  app.post(
    '/api/coaching/plans/:id/close',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Close a running plan: SUCCESS, FAILURE or RESIGNED',
        params: idParams,
        body: closePlanInput,
        response: { 200: planSchema, ...errorResponses },
      },
    },
    async (request) => closePlan(request.serviceContext(), request.params.id, request.body),
  );
  app.post(
    '/api/coaching/plans/:id/cancel',
    {
      config: { access: 'staff' },
      schema: { tags, summary: 'Cancel a draft or running plan', params: idParams, body: cancelPlanInput, response: { 200: planSchema, ...errorResponses } },
    },
    async (request) => cancelPlan(request.serviceContext(), request.params.id, request.body),
  );
  app.get(
    '/api/coaching/settings/plan-triggers',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'When the daily job proposes an improvement plan', response: { 200: planTriggersSchema, ...errorResponses } },
    },
    async (request) => getPlanTriggers(request.serviceContext()),
  );
  app.put(
    '/api/coaching/settings/plan-triggers',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Change the proposal thresholds (admin; any subset)',
        body: planTriggersPatch,
        response: { 200: planTriggersSchema, ...errorResponses },
      },
    },
    async (request) => updatePlanTriggers(request.serviceContext(), request.body),
  );
}
