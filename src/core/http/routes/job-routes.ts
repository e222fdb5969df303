import { z } from 'zod';
import { pageSchema } from '../../db/list-query.js';
import { getJobRun, listJobDefinitions, listJobRuns, listJobRunsQuery, retryJobRun, runJobNow } from '../../jobs/index.js';
import type { AppDeps, TypedApp } from '../types.js';
import { errorResponses, idParams } from './schemas.js';

const jobRunSchema = z.object({
  id: z.string(),
  jobId: z.string(),
  name: z.string(),
  organizationId: z.string().nullable(),
  state: z.string(),
  attempt: z.number(),
  maxAttempts: z.number(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  data: z.unknown(),
});

const definitionSchema = z.object({
  name: z.string(),
  description: z.string(),
  schedule: z.string().nullable(),
  timezone: z.string().nullable(),
  nextRunAt: z.date().nullable(),
});

export async function registerJobRoutes(app: TypedApp, deps: AppDeps) {
  app.get(
    '/api/jobs',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['jobs'],
        summary: 'Recent job runs of this organization',
        querystring: listJobRunsQuery,
        response: { 200: pageSchema(jobRunSchema), ...errorResponses },
      },
    },
    async (request) => listJobRuns(request.serviceContext(), request.query),
  );
  app.get(
    '/api/jobs/definitions',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['jobs'],
        summary: 'Jobs this installation runs, with schedules',
        response: { 200: z.object({ data: z.array(definitionSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      data: listJobDefinitions(request.serviceContext(), deps.jobs.registry),
    }),
  );
  app.get(
    '/api/jobs/runs/:id',
    { config: { access: 'manager' }, schema: { tags: ['jobs'], params: idParams, response: { 200: jobRunSchema, ...errorResponses } } },
    async (request) => getJobRun(request.serviceContext(), request.params.id),
  );
  app.post(
    '/api/jobs/runs/:id/retry',
    {
      config: { access: 'admin' },
      schema: { tags: ['jobs'], summary: 'Run a failed job again', params: idParams, response: { 202: z.object({ jobId: z.string() }), ...errorResponses } },
    },
    async (request, reply) => reply.status(202).send({ jobId: await retryJobRun(request.serviceContext(), request.params.id, deps.jobs.enqueue) }),
  );
  app.post(
    '/api/jobs/:name/run',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['jobs'],
        summary: 'Run a job now for this organization',
        params: z.object({ name: z.string().max(100) }),
        body: z.object({}).optional(),
        response: { 202: z.object({ jobId: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(202).send({ jobId: await runJobNow(request.serviceContext(), request.params.name, deps.jobs.enqueue, deps.jobs.registry) }),
  );
}
