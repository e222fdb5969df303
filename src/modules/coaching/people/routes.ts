import { z } from 'zod';
import { errorResponses, idParams } from '../../../core/http/routes/schemas.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import { personStatuses, roles } from '../schema.js';
import { resolveCoachingViewer } from '../shared/access.js';
import {
  createPerson,
  createPersonInput,
  deletePerson,
  getHierarchy,
  getMe,
  getPersonSummary,
  listPeople,
  listPeopleQuery,
  updatePerson,
  updatePersonInput,
} from './people-service.js';
import { getProfile, profileInput, putProfile, readProfile } from './profile-service.js';
import { loadVisiblePerson } from '../shared/access.js';

const tags = ['coaching'];
const role = z.enum(roles);
const status = z.enum(personStatuses);
const text = z.string().nullable();

export const personSummarySchema = z.object({
  id: z.string(),
  userId: text,
  name: z.string(),
  email: text,
  role,
  status,
  teamLeaderId: text,
  teamLeaderName: text,
  managerId: text,
  managerName: text,
  department: text,
  employeeId: text,
  hireDate: text,
  phone: text,
  learningStyle: text,
  shiftPattern: text,
  timezone: z.string(),
  latestComposite: z.number().nullable(),
  latestCompositeDate: text,
  deletedAt: z.date().nullable(),
});

const list = z.array(z.string()).nullable();
export const profileSchema = z.object({
  agentId: z.string(),
  organizationId: z.string(),
  exists: z.boolean(),
  learningStyle: z.string(),
  preferredFeedbackMethod: text,
  primaryMotivators: list,
  demotivators: list,
  coreStrengths: list,
  developmentAreas: list,
  hiddenTalents: list,
  stressIndicators: list,
  successPatterns: list,
  bestCoachingTime: text,
  preferredSessionLength: z.number().nullable(),
  respondsWellTo: list,
  careerAspirations: text,
  personalGoals: text,
  peerComparisonOptIn: z.boolean(),
  percentileRanking: z.record(z.string(), z.unknown()).nullable(),
  percentileHidden: z.boolean(),
  profileCreatedBy: text,
  lastUpdatedBy: text,
  createdAt: z.date().nullable(),
  updatedAt: z.date().nullable(),
});

const agentNode = z.object({ id: z.string(), name: z.string(), status, latestComposite: z.number().nullable() });
const leaderNode = z.object({ id: z.string(), name: z.string(), status, agents: z.array(agentNode) });
const managerNode = z.object({ id: z.string(), name: z.string(), status, teamLeaders: z.array(leaderNode) });

/** Coaching people routes, under /api/coaching: who am I, people, hierarchy, agent profiles. */
export async function registerPeopleRoutes(app: TypedApp, _deps: AppDeps): Promise<void> {
  app.get(
    '/api/coaching/me',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'The signed-in coaching person, their coaching role and direct reports',
        response: {
          200: z.object({
            person: personSummarySchema.nullable(),
            role,
            seesEverything: z.boolean(),
            team: z.array(z.object({ id: z.string(), name: z.string(), role })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => getMe(request.serviceContext()),
  );

  app.get(
    '/api/coaching/people',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'People the viewer may see (role, status, team leader, search; includeDeleted for admins)',
        querystring: listPeopleQuery,
        response: { 200: z.object({ items: z.array(personSummarySchema) }), ...errorResponses },
      },
    },
    async (request) => listPeople(request.serviceContext(), request.query),
  );

  app.get(
    '/api/coaching/people/:id',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'One person with their links, latest composite and (agents) coaching profile',
        params: idParams,
        response: { 200: personSummarySchema.extend({ profile: profileSchema.nullable() }), ...errorResponses },
      },
    },
    async (request) => {
      const ctx = request.serviceContext();
      const viewer = await resolveCoachingViewer(ctx);
      const person = await loadVisiblePerson(ctx, viewer, request.params.id);
      const summary = await getPersonSummary(ctx, viewer, person.id);
      return { ...summary, profile: person.role === 'AGENT' ? await readProfile(ctx, viewer, person) : null };
    },
  );

  app.post(
    '/api/coaching/people',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Add a person (admin: any role; manager: a team leader under themself or an agent under one of their leaders)',
        body: createPersonInput,
        response: { 201: personSummarySchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createPerson(request.serviceContext(), request.body)),
  );

  app.patch(
    '/api/coaching/people/:id',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Change a person: name, links, status, department, learning style, shift, time zone, phone, employee id, sign-in link (admin)',
        params: idParams,
        body: updatePersonInput,
        response: { 200: personSummarySchema, ...errorResponses },
      },
    },
    async (request) => updatePerson(request.serviceContext(), request.params.id, request.body),
  );

  app.delete(
    '/api/coaching/people/:id',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Soft-delete a person (refused while they still lead active agents or manage team leaders)',
        params: idParams,
        response: { 200: z.object({ id: z.string(), deletedAt: z.date() }), ...errorResponses },
      },
    },
    async (request) => deletePerson(request.serviceContext(), request.params.id),
  );

  app.get(
    '/api/coaching/hierarchy',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Managers → team leaders → agents, only the part the viewer may see',
        response: {
          200: z.object({ managers: z.array(managerNode), teamLeaders: z.array(leaderNode), agents: z.array(agentNode) }),
          ...errorResponses,
        },
      },
    },
    async (request) => getHierarchy(request.serviceContext()),
  );

  app.get(
    '/api/coaching/people/:id/profile',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: "An agent's coaching profile (defaults when none is stored yet)",
        params: idParams,
        response: { 200: profileSchema, ...errorResponses },
      },
    },
    async (request) => getProfile(request.serviceContext(), request.params.id),
  );

  app.put(
    '/api/coaching/people/:id/profile',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: "Edit an agent's coaching profile (team leader, manager, admin; the agent only their peer-comparison opt-in)",
        params: idParams,
        body: profileInput,
        response: { 200: profileSchema, ...errorResponses },
      },
    },
    async (request) => putProfile(request.serviceContext(), request.params.id, request.body),
  );
}
