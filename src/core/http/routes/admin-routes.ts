import { z } from 'zod';
import { listAuditLog, listAuditQuery } from '../../audit/audit-service.js';
import { pageSchema } from '../../db/list-query.js';
import { organizationPatch, getCurrentOrganization, updateCurrentOrganization } from '../../tenancy/organizations-service.js';
import {
  createMember,
  createMemberInput,
  getMember,
  listMembers,
  listMembersQuery,
  removeMember,
  updateMember,
  updateMemberInput,
} from '../../tenancy/members-service.js';
import { createToken, createTokenInput, listTokens, listTokensQuery, revokeToken } from '../../tenancy/tokens-service.js';
import {
  aiModelInput,
  configKeySchema,
  createAiModel,
  createIntegration,
  deleteConfig,
  deleteIntegration,
  getIntegration,
  integrationInput,
  integrationPatch,
  listAiModels,
  listConfig,
  listIntegrations,
  listSystemEvents,
  listSystemEventsQuery,
  listSystemLogs,
  listSystemLogsQuery,
  putConfig,
  putConfigInput,
  updateAiModel,
  updateIntegration,
} from '../../settings/settings-service.js';
import type { AppDeps, TypedApp } from '../types.js';
import { errorResponses, idParams } from './schemas.js';

const date = z.date();
const nullableDate = z.date().nullable();

const organizationSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  timezone: z.string(),
  config: z.record(z.string(), z.unknown()),
  createdAt: date,
  updatedAt: date,
});
const memberSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  active: z.boolean(),
  lastLoginAt: nullableDate,
  createdAt: date,
  lockedUntil: nullableDate,
});
const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: z.string(),
  createdAt: date,
  lastUsedAt: nullableDate,
  expiresAt: nullableDate,
  revokedAt: nullableDate,
  user: z.object({ id: z.string(), email: z.string() }),
});
const auditSchema = z.object({
  id: z.number(),
  at: date,
  actor: z.object({ type: z.string(), id: z.string().nullable(), label: z.string().nullable() }),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
});
const configSchema = z.object({
  configKey: z.string(),
  configValue: z.unknown(),
  description: z.string().nullable(),
  isActive: z.boolean(),
  updatedBy: z.string().nullable(),
  updatedAt: date,
});
const integrationSchema = z.object({
  id: z.string(),
  serviceName: z.string(),
  category: z.string().nullable(),
  connected: z.boolean(),
  settings: z.record(z.string(), z.unknown()),
  lastSync: nullableDate,
  hasCredentials: z.boolean(),
  credentialKeys: z.array(z.string()),
  createdAt: date,
  updatedAt: date,
});
const aiModelSchema = z.object({
  id: z.string(),
  modelName: z.string(),
  modelProvider: z.string(),
  modelParameters: z.record(z.string(), z.unknown()),
  accuracyScore: z.string().nullable(),
  active: z.boolean(),
  purpose: z.string().nullable(),
  createdAt: date,
  updatedAt: date,
});
const systemLogSchema = z.object({
  id: z.string(),
  logLevel: z.string(),
  source: z.string(),
  message: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: date,
});
const systemEventSchema = z.object({
  id: z.string(),
  eventType: z.string(),
  severity: z.string(),
  sourceAgentId: z.string().nullable(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
  createdAt: date,
});

export async function registerAdminRoutes(app: TypedApp, deps: AppDeps) {
  const secrets = (request: { serviceContext: () => ReturnType<import('fastify').FastifyRequest['serviceContext']> }) => ({
    ...request.serviceContext(),
    encryptionKey: deps.encryptionKey,
  });

  app.get(
    '/api/organization',
    {
      config: { access: 'viewer' },
      schema: { tags: ['organization'], summary: 'The current organization', response: { 200: organizationSchema, ...errorResponses } },
    },
    async (request) => getCurrentOrganization(request.serviceContext()),
  );
  app.patch(
    '/api/organization',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['organization'],
        summary: 'Rename the organization or change its time zone',
        body: organizationPatch,
        response: { 200: organizationSchema, ...errorResponses },
      },
    },
    async (request) => updateCurrentOrganization(request.serviceContext(), request.body),
  );

  app.get(
    '/api/users',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['users'],
        summary: 'Members of this organization',
        querystring: listMembersQuery,
        response: { 200: pageSchema(memberSchema), ...errorResponses },
      },
    },
    async (request) => listMembers(request.serviceContext(), request.query),
  );
  app.get(
    '/api/users/:id',
    { config: { access: 'manager' }, schema: { tags: ['users'], params: idParams, response: { 200: memberSchema, ...errorResponses } } },
    async (request) => getMember(request.serviceContext(), request.params.id),
  );
  app.post(
    '/api/users',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Add a person (creates the user if the email is new)',
        body: createMemberInput,
        response: { 201: memberSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createMember(request.serviceContext(), request.body)),
  );
  app.patch(
    '/api/users/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Change name, role or active flag',
        params: idParams,
        body: updateMemberInput,
        response: { 200: memberSchema, ...errorResponses },
      },
    },
    async (request) => updateMember(request.serviceContext(), request.params.id, request.body),
  );
  app.delete(
    '/api/users/:id',
    { config: { access: 'admin' }, schema: { tags: ['users'], summary: 'Remove a person from this organization', params: idParams } },
    async (request, reply) => {
      await removeMember(request.serviceContext(), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/tokens',
    { config: { access: 'admin' }, schema: { tags: ['tokens'], querystring: listTokensQuery, response: { 200: pageSchema(tokenSchema), ...errorResponses } } },
    async (request) => listTokens(request.serviceContext(), request.query),
  );
  app.post(
    '/api/tokens',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token; the plaintext is returned once',
        body: createTokenInput,
        response: { 201: tokenSchema.extend({ token: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createToken(request.serviceContext(), request.body)),
  );
  app.delete(
    '/api/tokens/:id',
    { config: { access: 'admin' }, schema: { tags: ['tokens'], summary: 'Revoke a token', params: idParams } },
    async (request, reply) => {
      await revokeToken(request.serviceContext(), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/audit-log',
    { config: { access: 'manager' }, schema: { tags: ['audit'], querystring: listAuditQuery, response: { 200: pageSchema(auditSchema), ...errorResponses } } },
    async (request) => listAuditLog(request.serviceContext(), request.query),
  );

  app.get(
    '/api/config',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['settings'],
        summary: 'Organization settings (system_config)',
        response: { 200: z.object({ data: z.array(configSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      data: await listConfig(request.serviceContext()),
    }),
  );
  app.put(
    '/api/config/:key',
    {
      config: { access: 'admin' },
      schema: { tags: ['settings'], params: z.object({ key: configKeySchema }), body: putConfigInput, response: { 200: configSchema, ...errorResponses } },
    },
    async (request) => putConfig(request.serviceContext(), request.params.key, request.body),
  );
  app.delete(
    '/api/config/:key',
    { config: { access: 'admin' }, schema: { tags: ['settings'], params: z.object({ key: configKeySchema }) } },
    async (request, reply) => {
      await deleteConfig(request.serviceContext(), request.params.key);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/integrations',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['integrations'],
        summary: 'Integrations; credentials are never returned',
        response: { 200: z.object({ data: z.array(integrationSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      data: await listIntegrations(secrets(request)),
    }),
  );
  app.get(
    '/api/integrations/:id',
    { config: { access: 'manager' }, schema: { tags: ['integrations'], params: idParams, response: { 200: integrationSchema, ...errorResponses } } },
    async (request) => getIntegration(secrets(request), request.params.id),
  );
  app.post(
    '/api/integrations',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['integrations'],
        summary: 'Add an integration; credentials are encrypted at rest',
        body: integrationInput,
        response: { 201: integrationSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createIntegration(secrets(request), request.body)),
  );
  app.patch(
    '/api/integrations/:id',
    {
      config: { access: 'admin' },
      schema: { tags: ['integrations'], params: idParams, body: integrationPatch, response: { 200: integrationSchema, ...errorResponses } },
    },
    async (request) => updateIntegration(secrets(request), request.params.id, request.body),
  );
  app.delete('/api/integrations/:id', { config: { access: 'admin' }, schema: { tags: ['integrations'], params: idParams } }, async (request, reply) => {
    await deleteIntegration(secrets(request), request.params.id);
    return reply.status(204).send();
  });

  app.get(
    '/api/ai/models',
    {
      config: { access: 'manager' },
      schema: { tags: ['ai'], summary: 'AI model configurations', response: { 200: z.object({ data: z.array(aiModelSchema) }), ...errorResponses } },
    },
    async (request) => ({
      data: await listAiModels(request.serviceContext()),
    }),
  );
  app.post(
    '/api/ai/models',
    { config: { access: 'admin' }, schema: { tags: ['ai'], body: aiModelInput, response: { 201: aiModelSchema, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await createAiModel(request.serviceContext(), request.body)),
  );
  app.patch(
    '/api/ai/models/:id',
    {
      config: { access: 'admin' },
      schema: { tags: ['ai'], params: idParams, body: aiModelInput.partial(), response: { 200: aiModelSchema, ...errorResponses } },
    },
    async (request) => updateAiModel(request.serviceContext(), request.params.id, request.body),
  );

  app.get(
    '/api/system/logs',
    {
      config: { access: 'manager' },
      schema: { tags: ['system'], querystring: listSystemLogsQuery, response: { 200: pageSchema(systemLogSchema), ...errorResponses } },
    },
    async (request) => listSystemLogs(request.serviceContext(), request.query),
  );
  app.get(
    '/api/system/events',
    {
      config: { access: 'manager' },
      schema: { tags: ['system'], querystring: listSystemEventsQuery, response: { 200: pageSchema(systemEventSchema), ...errorResponses } },
    },
    async (request) => listSystemEvents(request.serviceContext(), request.query),
  );
}
