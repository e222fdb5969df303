import { z } from 'zod';
import { errorResponses, idParams } from '../../../core/http/routes/schemas.js';
import type { AppDeps, TypedApp } from '../../../core/http/types.js';
import { createActionItem, getActionItem, listActionItems, updateActionItem, verifyActionItem } from './action-items-service.js';
import { createNote, listNotes, updateNote } from './notes-service.js';
import { listMyNotifications, markNotificationRead } from './notifications-service.js';
import { regeneratePrep } from './prep-service.js';
import {
  actionItemSchema,
  availabilityQuery,
  availabilitySchema,
  completeSessionInput,
  createActionItemInput,
  createNoteInput,
  listActionItemsQuery,
  listNotesQuery,
  listSessionsQuery,
  noteSchema,
  notificationSchema,
  reasonInput,
  scheduleSessionInput,
  sessionListItemSchema,
  sessionSchema,
  updateActionItemInput,
  updateNoteInput,
  updateSessionInput,
  verifyActionItemInput,
} from './schemas.js';
import {
  cancelSession,
  completeSession,
  getAvailability,
  getSession,
  listSessions,
  markNoShow,
  scheduleSession,
  startSession,
  updateSession,
} from './session-service.js';

const tags = ['coaching'];

const completedSchema = z.object({
  session: sessionSchema,
  actionItems: z.array(actionItemSchema),
  addressedNoteIds: z.array(z.string()),
  followUpSession: sessionSchema.nullable(),
  effectivenessId: z.string().nullable(),
});

/** Coaching sessions, quick notes, action items and the notification inbox, under /api/coaching. */
export async function registerSessionsRoutes(app: TypedApp, deps: AppDeps): Promise<void> {
  // ---- sessions ----
  app.get(
    '/api/coaching/sessions',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Coaching sessions the viewer may see (by agent, team leader, status, local dates)',
        querystring: listSessionsQuery,
        response: { 200: z.object({ items: z.array(sessionListItemSchema) }), ...errorResponses },
      },
    },
    async (request) => listSessions(request.serviceContext(), request.query),
  );
  app.post(
    '/api/coaching/sessions',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Schedule a session (local time + zone, or an instant); refuses double-booking; generates prep',
        body: scheduleSessionInput,
        response: { 201: sessionSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await scheduleSession(request.serviceContext(), request.body, { ai: deps.ai })),
  );
  app.get(
    '/api/coaching/sessions/:id',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'One session with its prep (an agent sees it without the leader’s notes)',
        params: idParams,
        response: { 200: sessionSchema, ...errorResponses },
      },
    },
    async (request) => getSession(request.serviceContext(), request.params.id),
  );
  app.patch(
    '/api/coaching/sessions/:id',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Reschedule (while scheduled) or edit the notes of a session',
        params: idParams,
        body: updateSessionInput,
        response: { 200: sessionSchema, ...errorResponses },
      },
    },
    async (request) => updateSession(request.serviceContext(), request.params.id, request.body),
  );
  app.post(
    '/api/coaching/sessions/:id/start',
    {
      config: { access: 'staff' },
      schema: { tags, summary: 'SCHEDULED → IN_PROGRESS', params: idParams, response: { 200: sessionSchema, ...errorResponses } },
    },
    async (request) => startSession(request.serviceContext(), request.params.id),
  );
  app.post(
    '/api/coaching/sessions/:id/complete',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Record the session: notes, scores, commitments, follow-up, addressed notes, action items, effectiveness tracking',
        params: idParams,
        body: completeSessionInput,
        response: { 200: completedSchema, ...errorResponses },
      },
    },
    async (request) => completeSession(request.serviceContext(), request.params.id, request.body),
  );
  app.post(
    '/api/coaching/sessions/:id/cancel',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Cancel a session (reason required)',
        params: idParams,
        body: reasonInput.optional(),
        response: { 200: sessionSchema, ...errorResponses },
      },
    },
    async (request) => cancelSession(request.serviceContext(), request.params.id, request.body?.reason),
  );
  app.post(
    '/api/coaching/sessions/:id/no-show',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Record a no-show after the start (reason required)',
        params: idParams,
        body: reasonInput.optional(),
        response: { 200: sessionSchema, ...errorResponses },
      },
    },
    async (request) => markNoShow(request.serviceContext(), request.params.id, request.body?.reason),
  );
  app.post(
    '/api/coaching/sessions/:id/prep',
    {
      config: { access: 'staff' },
      schema: { tags, summary: 'Regenerate the session prep from the current data', params: idParams, response: { 200: sessionSchema, ...errorResponses } },
    },
    async (request) => regeneratePrep(request.serviceContext(), request.params.id, { ai: deps.ai }),
  );
  app.get(
    '/api/coaching/availability',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: "Free slots on a date for an agent and their team leader, in both people's time zones",
        querystring: availabilityQuery,
        response: { 200: availabilitySchema, ...errorResponses },
      },
    },
    async (request) => getAvailability(request.serviceContext(), request.query),
  );

  // ---- quick notes ----
  app.get(
    '/api/coaching/notes',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Quick notes (agents see only the positive notes about themselves)',
        querystring: listNotesQuery,
        response: { 200: z.object({ items: z.array(noteSchema) }), ...errorResponses },
      },
    },
    async (request) => listNotes(request.serviceContext(), request.query),
  );
  app.post(
    '/api/coaching/notes',
    {
      config: { access: 'staff' },
      schema: { tags, summary: 'Capture a quick note about an agent', body: createNoteInput, response: { 201: noteSchema, ...errorResponses } },
    },
    async (request, reply) => reply.code(201).send(await createNote(request.serviceContext(), request.body)),
  );
  app.patch(
    '/api/coaching/notes/:id',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Mark a note addressed, link it to a session, or correct it',
        params: idParams,
        body: updateNoteInput,
        response: { 200: noteSchema, ...errorResponses },
      },
    },
    async (request) => updateNote(request.serviceContext(), request.params.id, request.body),
  );

  // ---- action items ----
  app.get(
    '/api/coaching/action-items',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Action items (by agent, status, due: overdue / today / week)',
        querystring: listActionItemsQuery,
        response: { 200: z.object({ items: z.array(actionItemSchema) }), ...errorResponses },
      },
    },
    async (request) => listActionItems(request.serviceContext(), request.query),
  );
  app.post(
    '/api/coaching/action-items',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Assign an action item (standalone or from a session)',
        body: createActionItemInput,
        response: { 201: actionItemSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createActionItem(request.serviceContext(), request.body)),
  );
  app.get(
    '/api/coaching/action-items/:id',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'One action item', params: idParams, response: { 200: actionItemSchema, ...errorResponses } },
    },
    async (request) => getActionItem(request.serviceContext(), request.params.id),
  );
  app.patch(
    '/api/coaching/action-items/:id',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Progress (the agent on their own items) or edits (the team leader)',
        params: idParams,
        body: updateActionItemInput,
        response: { 200: actionItemSchema, ...errorResponses },
      },
    },
    async (request) => updateActionItem(request.serviceContext(), request.params.id, request.body),
  );
  app.post(
    '/api/coaching/action-items/:id/verify',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'Verify a completed action item (team leader, manager, admin)',
        params: idParams,
        body: verifyActionItemInput.optional(),
        response: { 200: actionItemSchema, ...errorResponses },
      },
    },
    async (request) => verifyActionItem(request.serviceContext(), request.params.id, request.body),
  );

  // ---- notifications ----
  app.get(
    '/api/coaching/notifications',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: "The viewer's own notifications, unread first",
        querystring: z.object({ unreadOnly: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ items: z.array(notificationSchema), unread: z.number() }), ...errorResponses },
      },
    },
    async (request) => listMyNotifications(request.serviceContext(), { unreadOnly: request.query.unreadOnly === 'true', limit: request.query.limit }),
  );
  app.post(
    '/api/coaching/notifications/:id/read',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'Mark one of your notifications read', params: idParams, response: { 200: notificationSchema, ...errorResponses } },
    },
    async (request) => markNotificationRead(request.serviceContext(), request.params.id),
  );
}
