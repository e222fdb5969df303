import { z } from 'zod';
import { errorResponses, idParams } from '../../../core/http/routes/schemas.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import { recomputeHistoryJobName } from '../shared/job-names.js';
import {
  getAgentHistory,
  getAgentMetrics,
  getScorecard,
  getTeamSummaries,
  getTeamView,
  historyQuery,
  rangeQuery,
  recomputeInput,
  recomputeScope,
  teamQuery,
} from './dashboard-service.js';

const tags = ['coaching'];
const num = z.number().nullable();
const json = z.record(z.string(), z.unknown());

const summarySchema = z.object({
  agentCount: z.number(),
  activePips: z.number(),
  avgTeamScore: num,
  avgServiceScore: num,
  avgQualityScore: num,
  sessionsLastWeek: z.number(),
  calculatedDate: z.string(),
});

const teamAgentSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  latestComposite: num,
  latestCompositeDate: z.string().nullable(),
  compositeWeeks: z.array(num),
  compositeTrend4w: num,
  weakestMetric: z.object({ key: z.string(), label: z.string(), value: z.number(), teamAverage: z.number(), gap: z.number() }).nullable(),
  percentile: num,
  flags: z.object({
    activePlan: z.object({ id: z.string(), targetEndDate: z.string() }).nullable(),
    overdueActionItems: z.number(),
    openActionItems: z.number(),
    unaddressedNotes: z.number(),
    daysSinceLastSession: num,
    nextSession: z.object({ id: z.string(), scheduledDate: z.date() }).nullable(),
  }),
  reasons: z.array(z.string()),
  attention: z.number(),
});

const dailySchema = z.object({ date: z.string(), values: z.record(z.string(), num), importedFrom: z.string().nullable() });

export const historyRowSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  agentId: z.string(),
  periodType: z.enum(['WEEK', 'MONTH', 'QUARTER']),
  periodEnding: z.string(),
  avgServiceScore: num,
  avgProductivityScore: num,
  avgQualityScore: num,
  avgAttendanceRate: num,
  avgAdherenceScore: num,
  avgCompositeScore: num,
  serviceTrend: num,
  productivityTrend: num,
  qualityTrend: num,
  attendanceTrend: num,
  adherenceTrend: num,
  scoreVariance: num,
  daysWorked: num,
  annotations: json.nullable(),
  createdAt: z.date(),
});

const windowSchema = z.object({ from: z.string(), to: z.string(), composite: z.number() });
const moveSchema = z
  .object({
    previous: windowSchema,
    current: windowSchema,
    compositeChange: z.number(),
    contributions: z.array(
      z.object({
        component: z.string(),
        label: z.string(),
        weight: z.number(),
        previous: z.number(),
        current: z.number(),
        change: z.number(),
        contribution: z.number(),
      }),
    ),
  })
  .nullable();

/** Coaching analytics routes, under /api/coaching: team view, team summaries, agent scorecard, metrics, history, recompute. */
export async function registerAnalyticsRoutes(app: TypedApp, deps: AppDeps): Promise<void> {
  app.get(
    '/api/coaching/team',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: "A team leader's view: team summary and each agent with trend, weakest metric, percentile and what needs attention",
        querystring: teamQuery,
        response: {
          200: z.object({
            teamLeader: z.object({ id: z.string(), name: z.string() }).nullable(),
            teams: z.array(z.object({ id: z.string(), name: z.string() })),
            summary: summarySchema.nullable(),
            asOf: z.string(),
            agents: z.array(teamAgentSchema),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => getTeamView(request.serviceContext(), request.query),
  );

  app.get(
    '/api/coaching/team-summary',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'team_performance_summary rows of the teams the viewer may see (refreshed nightly)',
        response: {
          200: z.object({
            items: z.array(summarySchema.extend({ teamLeaderId: z.string(), teamLeaderName: z.string() })),
            calculatedDate: z.string().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => getTeamSummaries(request.serviceContext()),
  );

  app.get(
    '/api/coaching/agents/:id/scorecard',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: "An agent's scorecard: daily composite and metrics, history per period, percentiles, what moved the composite",
        params: idParams,
        querystring: rangeQuery,
        response: {
          200: z.object({
            agent: z.object({
              id: z.string(),
              name: z.string(),
              status: z.string(),
              teamLeaderId: z.string().nullable(),
              teamLeaderName: z.string().nullable(),
              department: z.string().nullable(),
            }),
            from: z.string(),
            to: z.string(),
            metrics: z.array(z.object({ key: z.string(), label: z.string(), unit: z.string(), higherIsBetter: z.boolean() })),
            compositeWeights: z.record(z.string(), z.number()),
            daily: z.array(dailySchema),
            history: z.object({ WEEK: z.array(historyRowSchema), MONTH: z.array(historyRowSchema), QUARTER: z.array(historyRowSchema) }),
            percentiles: json.nullable(),
            percentilesHidden: z.boolean(),
            moved: z.object({ week: moveSchema, month: moveSchema }),
            counts: z.object({ recentSessions: z.number(), openActionItems: z.number(), overdueActionItems: z.number(), unaddressedNotes: z.number() }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => getScorecard(request.serviceContext(), request.params.id, request.query),
  );

  app.get(
    '/api/coaching/agents/:id/metrics',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: "An agent's daily metrics (default: the last 30 days)",
        params: idParams,
        querystring: rangeQuery,
        response: { 200: z.object({ agentId: z.string(), from: z.string(), to: z.string(), items: z.array(dailySchema) }), ...errorResponses },
      },
    },
    async (request) => getAgentMetrics(request.serviceContext(), request.params.id, request.query),
  );

  app.get(
    '/api/coaching/agents/:id/history',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: "An agent's performance history (weeks, months, quarters)",
        params: idParams,
        querystring: historyQuery,
        response: { 200: z.object({ agentId: z.string(), items: z.array(historyRowSchema) }), ...errorResponses },
      },
    },
    async (request) => getAgentHistory(request.serviceContext(), request.params.id, request.query),
  );

  app.post(
    '/api/coaching/history/recompute',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Queue a history + percentile recompute (admin: any agents; manager: their branch)',
        body: recomputeInput,
        response: { 202: z.object({ jobId: z.string(), agents: z.number().nullable() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = request.serviceContext();
      const scope = await recomputeScope(ctx, request.body);
      const jobId = await deps.jobs.enqueue(recomputeHistoryJobName, {
        organizationId: ctx.organization.id,
        ...(scope.agentIds ? { agentIds: scope.agentIds } : {}),
        ...(request.body.from ? { from: request.body.from } : {}),
        ...(request.body.to ? { to: request.body.to } : {}),
      });
      return reply.code(202).send({ jobId, agents: scope.agentIds ? scope.agentIds.length : null });
    },
  );
}
