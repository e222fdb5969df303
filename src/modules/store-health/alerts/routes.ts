import { z } from 'zod';
import { pageSchema } from '../../../core/db/list-query.js';
import { errorResponses, idParams } from '../../../core/http/routes/schemas.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import {
  acknowledgeAlert,
  acknowledgeAlertInput,
  alertScopes,
  alertSeverities,
  alertStatuses,
  getAlert,
  listAlerts,
  listAlertsQuery,
  listTasks,
  listTasksQuery,
  resolveAlert,
  resolveAlertInput,
  taskStatuses,
  updateTask,
  updateTaskInput,
} from './service.js';

const nullableDate = z.date().nullable();

export const alertSchema = z.object({
  id: z.string(),
  scope: z.string().describe(alertScopes.join(' | ')),
  storeId: z.string().nullable(),
  storeCode: z.string().nullable(),
  storeName: z.string().nullable(),
  districtId: z.string().nullable(),
  districtName: z.string().nullable(),
  kpiId: z.string().nullable(),
  kpiCode: z.string().nullable(),
  kpiName: z.string().nullable(),
  alertDate: z.date(),
  severity: z.string().describe(alertSeverities.join(' | ')),
  escalationLevel: z.number(),
  status: z.string().describe(alertStatuses.join(' | ')),
  title: z.string(),
  message: z.string().nullable(),
  acknowledgedAt: nullableDate,
  acknowledgedBy: z.string().nullable(),
  resolvedAt: nullableDate,
  expiresAt: nullableDate,
  daysInCondition: z.number(),
  snoozedUntil: nullableDate,
  parentAlertId: z.string().nullable(),
});

export const taskSchema = z.object({
  id: z.string(),
  alertId: z.string().nullable(),
  storeId: z.string(),
  storeCode: z.string(),
  storeName: z.string(),
  kpiCode: z.string().nullable(),
  taskType: z.string(),
  priority: z.number(),
  title: z.string(),
  description: z.string().nullable(),
  assignedToRole: z.string(),
  assignedToName: z.string().nullable(),
  assignedToContact: z.string().nullable(),
  status: z.string().describe(taskStatuses.join(' | ')),
  dueDate: nullableDate,
  completedAt: nullableDate,
  completedBy: z.string().nullable(),
  outcome: z.string().nullable(),
});

const escalationSchema = z.object({
  id: z.string(),
  alertId: z.string(),
  storeId: z.string().nullable(),
  taskId: z.string().nullable(),
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
  resolvedAt: nullableDate,
});

const callSchema = z.object({
  id: z.string(),
  storeId: z.string(),
  alertId: z.string().nullable(),
  taskId: z.string().nullable(),
  escalationId: z.string().nullable(),
  callType: z.string(),
  callStatus: z.string(),
  recipientName: z.string().nullable(),
  recipientPhone: z.string().nullable(),
  callInitiatedAt: nullableDate,
  callConnectedAt: nullableDate,
  callEndedAt: nullableDate,
  callDurationSeconds: z.number().nullable(),
  sentiment: z.string().nullable(),
  response: z.string().nullable(),
  followUpRequired: z.boolean(),
  attempt: z.number(),
  provider: z.string(),
});

const alertDetailSchema = alertSchema.extend({ tasks: z.array(taskSchema), escalations: z.array(escalationSchema), calls: z.array(callSchema) });

const tags = ['store-health'];

/** Alerts (list, detail, acknowledge, resolve) and store-manager tasks (list, lifecycle). */
export async function registerAlertRoutes(app: TypedApp, _deps: AppDeps) {
  app.get(
    '/api/store-health/alerts',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'Alerts, newest first by default', querystring: listAlertsQuery, response: { 200: pageSchema(alertSchema), ...errorResponses } },
    },
    async (request) => listAlerts(request.serviceContext(), request.query),
  );
  app.get(
    '/api/store-health/alerts/:id',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'One alert with its tasks, escalations and calls', params: idParams, response: { 200: alertDetailSchema, ...errorResponses } },
    },
    async (request) => getAlert(request.serviceContext(), request.params.id),
  );
  app.post(
    '/api/store-health/alerts/:id/acknowledge',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Acknowledge an active alert',
        params: idParams,
        body: acknowledgeAlertInput.nullish(),
        response: { 200: alertSchema, ...errorResponses },
      },
    },
    async (request) => acknowledgeAlert(request.serviceContext(), request.params.id, request.body ?? {}),
  );
  app.post(
    '/api/store-health/alerts/:id/resolve',
    {
      config: { access: 'staff' },
      schema: { tags, summary: 'Resolve an alert by hand', params: idParams, body: resolveAlertInput, response: { 200: alertSchema, ...errorResponses } },
    },
    async (request) => resolveAlert(request.serviceContext(), request.params.id, request.body),
  );
  app.get(
    '/api/store-health/tasks',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Tasks for store and district managers',
        querystring: listTasksQuery,
        response: { 200: pageSchema(taskSchema), ...errorResponses },
      },
    },
    async (request) => listTasks(request.serviceContext(), request.query),
  );
  app.patch(
    '/api/store-health/tasks/:id',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Move a task along (pending → in_progress → completed/cancelled; completing needs an outcome) or reassign it',
        params: idParams,
        body: updateTaskInput,
        response: { 200: taskSchema, ...errorResponses },
      },
    },
    async (request) => updateTask(request.serviceContext(), request.params.id, request.body),
  );
}
