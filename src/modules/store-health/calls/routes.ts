import { z } from 'zod';
import { pageSchema } from '../../../core/db/list-query.js';
import { errorResponses, idParams } from '../../../core/http/routes/schemas.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import { getCall, handleTwilioCallback, listCalls, listCallsQuery } from './service.js';
import { createCallScript, createCallScriptInput, listCallScripts, previewCallScript, previewCallScriptInput } from './scripts-service.js';
import { twilioGatherPath, twilioStatusPath } from './twilio-provider.js';

const tags = ['store-health'];

const scriptSchema = z.object({
  id: z.string(),
  scriptType: z.string(),
  version: z.number(),
  scriptContent: z.string(),
  variables: z.record(z.string(), z.string()),
  isActive: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const scriptGroupSchema = z.object({ scriptType: z.string(), active: scriptSchema.nullable(), history: z.array(scriptSchema) });

const callFields = {
  id: z.string(),
  storeId: z.string(),
  storeCode: z.string(),
  storeName: z.string(),
  alertId: z.string().nullable(),
  alertTitle: z.string().nullable(),
  taskId: z.string().nullable(),
  escalationId: z.string().nullable(),
  callType: z.string(),
  callStatus: z.string(),
  recipientName: z.string().nullable(),
  recipientPhone: z.string().nullable(),
  callInitiatedAt: z.date().nullable(),
  callConnectedAt: z.date().nullable(),
  callEndedAt: z.date().nullable(),
  callDurationSeconds: z.number().nullable(),
  sentiment: z.string().nullable(),
  response: z.string().nullable(),
  followUpRequired: z.boolean(),
  recordingUrl: z.string().nullable(),
  externalCallId: z.string().nullable(),
  provider: z.string(),
  scriptId: z.string().nullable(),
  scriptVersion: z.number().nullable(),
  attempt: z.number(),
  nextAttemptAt: z.date().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
  updatedAt: z.date(),
};
const callSchema = z.object(callFields);
const callDetailSchema = z.object({ ...callFields, transcript: z.string().nullable() });

const previewSchema = z.object({
  scriptId: z.string(),
  scriptType: z.string(),
  version: z.number(),
  text: z.string(),
  values: z.record(z.string(), z.string().nullable()),
});

export async function registerCallRoutes(app: TypedApp, deps: AppDeps) {
  app.get(
    '/api/store-health/call-scripts',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Call scripts: the active version per type and every version',
        response: { 200: z.object({ data: z.array(scriptGroupSchema) }), ...errorResponses },
      },
    },
    async (request) => listCallScripts(request.serviceContext()),
  );
  app.post(
    '/api/store-health/call-scripts',
    {
      config: { access: 'manager' },
      schema: {
        tags,
        summary: 'Save the next version of a call script and activate it',
        body: createCallScriptInput,
        response: { 201: scriptSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createCallScript(request.serviceContext(), request.body)),
  );
  app.post(
    '/api/store-health/call-scripts/:id/preview',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Render a script for a store or alert (sample values without either)',
        params: idParams,
        body: previewCallScriptInput,
        response: { 200: previewSchema, ...errorResponses },
      },
    },
    async (request) => previewCallScript(request.serviceContext(), request.params.id, request.body ?? {}),
  );
  app.get(
    '/api/store-health/calls',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'AI calls (filters storeId, alertId, callStatus, response)',
        querystring: listCallsQuery,
        response: { 200: pageSchema(callSchema), ...errorResponses },
      },
    },
    async (request) => listCalls(request.serviceContext(), request.query),
  );
  app.get(
    '/api/store-health/calls/:id',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'One AI call with its transcript', params: idParams, response: { 200: callDetailSchema, ...errorResponses } },
    },
    async (request) => getCall(request.serviceContext(), request.params.id),
  );

  // Twilio posts form-encoded fields; the parser lives in this scope only, so no other route accepts forms.
  await app.register(async (scope) => {
    if (!scope.hasContentTypeParser('application/x-www-form-urlencoded')) {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      });
    }
    const callbackDeps = () => ({
      db: deps.database.db,
      clock: deps.clock,
      log: deps.logger,
      encryptionKey: deps.encryptionKey,
      publicUrl: deps.config.publicUrl,
    });
    const formFields = (body: unknown): Record<string, string> =>
      Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    const signatureOf = (header: string | string[] | undefined) => (Array.isArray(header) ? header[0] : header);

    scope.post(
      twilioStatusPath,
      { config: { access: 'public' }, schema: { tags, summary: 'Twilio call status callback (X-Twilio-Signature validated)' } },
      async (request, reply) => {
        await handleTwilioCallback(callbackDeps(), {
          kind: 'status',
          url: request.url,
          signature: signatureOf(request.headers['x-twilio-signature']),
          params: formFields(request.body),
        });
        return reply.status(204).send();
      },
    );
    scope.post(
      twilioGatherPath,
      { config: { access: 'public' }, schema: { tags, summary: 'Twilio gather callback: the answer to the call (X-Twilio-Signature validated)' } },
      async (request, reply) => {
        const result = await handleTwilioCallback(callbackDeps(), {
          kind: 'gather',
          url: request.url,
          signature: signatureOf(request.headers['x-twilio-signature']),
          params: formFields(request.body),
        });
        return reply.type('text/xml').send(result.twiml ?? '<?xml version="1.0" encoding="UTF-8"?><Response/>');
      },
    );
  });
}
