import { z } from 'zod';
import { pageSchema } from '../../../core/db/list-query.js';
import { errorResponses, idParams } from '../../../core/http/routes/schemas.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import {
  createEscalationRule,
  createEscalationRuleInput,
  deleteEscalationRule,
  getEscalationRule,
  listEscalationRules,
  listEscalationRulesQuery,
  listEscalations,
  listEscalationsQuery,
  updateEscalationRule,
  updateEscalationRuleInput,
} from './service.js';

const tags = ['store-health'];

const ruleSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  kpiDefinitionId: z.string().nullable(),
  kpiCode: z.string().nullable(),
  triggerCondition: z.string(),
  durationHours: z.number(),
  fromLevel: z.number(),
  toLevel: z.number(),
  action: z.string(),
  isActive: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

const escalationSchema = z.object({
  id: z.string(),
  alertId: z.string(),
  alertTitle: z.string(),
  storeId: z.string().nullable(),
  storeCode: z.string().nullable(),
  storeName: z.string().nullable(),
  taskId: z.string().nullable(),
  ruleId: z.string().nullable(),
  fromLevel: z.number(),
  toLevel: z.number(),
  escalationReason: z.string().nullable(),
  triggeredBy: z.string(),
  escalatedAt: z.date(),
  escalatedToRole: z.string().nullable(),
  escalatedToName: z.string().nullable(),
  escalatedToContact: z.string().nullable(),
  status: z.string(),
  resolution: z.string().nullable(),
  resolvedAt: z.date().nullable(),
  metadata: z.record(z.string(), z.unknown()),
});

export async function registerEscalationRoutes(app: TypedApp, _deps: AppDeps) {
  app.get(
    '/api/store-health/escalation-rules',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'Escalation rules', querystring: listEscalationRulesQuery, response: { 200: pageSchema(ruleSchema), ...errorResponses } },
    },
    async (request) => listEscalationRules(request.serviceContext(), request.query),
  );
  app.get(
    '/api/store-health/escalation-rules/:id',
    { config: { access: 'viewer' }, schema: { tags, summary: 'One escalation rule', params: idParams, response: { 200: ruleSchema, ...errorResponses } } },
    async (request) => getEscalationRule(request.serviceContext(), request.params.id),
  );
  app.post(
    '/api/store-health/escalation-rules',
    {
      config: { access: 'manager' },
      schema: {
        tags,
        summary: 'Add an escalation rule (open alerts are re-planned)',
        body: createEscalationRuleInput,
        response: { 201: ruleSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createEscalationRule(request.serviceContext(), request.body)),
  );
  app.patch(
    '/api/store-health/escalation-rules/:id',
    {
      config: { access: 'manager' },
      schema: {
        tags,
        summary: 'Change an escalation rule',
        params: idParams,
        body: updateEscalationRuleInput,
        response: { 200: ruleSchema, ...errorResponses },
      },
    },
    async (request) => updateEscalationRule(request.serviceContext(), request.params.id, request.body),
  );
  app.delete(
    '/api/store-health/escalation-rules/:id',
    { config: { access: 'manager' }, schema: { tags, summary: 'Delete an escalation rule', params: idParams } },
    async (request, reply) => {
      await deleteEscalationRule(request.serviceContext(), request.params.id);
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/store-health/escalations',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Escalations (filters alertId, storeId, status, triggeredBy)',
        querystring: listEscalationsQuery,
        response: { 200: pageSchema(escalationSchema), ...errorResponses },
      },
    },
    async (request) => listEscalations(request.serviceContext(), request.query),
  );
}
