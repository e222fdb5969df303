import { z } from 'zod';
import { actionItemStatuses, noteTypes, notificationKinds, priorities, sessionStatuses, sessionTypes } from '../schema.js';

/** Response and request shapes of the sessions area (sessions, notes, action items, notifications), shared by routes and the web. */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date as YYYY-MM-DD.');
const text = (max = 10_000) => z.string().trim().min(1).max(max);

export const localTimeSchema = z.object({
  timezone: z.string(),
  date: z.string(),
  time: z.string(),
  local: z.string(),
});

export const citationSchema = z.object({
  type: z.enum(['metric', 'history', 'note', 'action_item', 'session', 'plan']),
  id: z.string(),
  label: z.string(),
  date: z.string().nullable(),
});

export const sessionSchema = z.object({
  id: z.string(),
  agentId: z.string(),
  agentName: z.string(),
  teamLeaderId: z.string(),
  teamLeaderName: z.string(),
  scheduledDate: z.date(),
  plannedMinutes: z.number(),
  endsAt: z.date(),
  /** The start in the agent's and the team leader's time zones. */
  times: z.object({ agent: localTimeSchema, teamLeader: localTimeSchema }),
  actualStartTime: z.date().nullable(),
  actualEndTime: z.date().nullable(),
  durationMinutes: z.number().nullable(),
  sessionType: z.enum(sessionTypes),
  status: z.enum(sessionStatuses),
  /** Prep as the viewer may see it (an agent gets it without the leader's private notes and agenda). */
  prepData: z.record(z.string(), z.unknown()).nullable(),
  topicsCovered: z.array(z.string()).nullable(),
  discussionNotes: z.string().nullable(),
  agentCommitments: z.string().nullable(),
  resourcesShared: z.array(z.string()).nullable(),
  engagementScore: z.number().nullable(),
  receptivenessScore: z.number().nullable(),
  understandingScore: z.number().nullable(),
  overallEffectiveness: z.number().nullable(),
  keyAchievements: z.string().nullable(),
  areasOfConcern: z.string().nullable(),
  followUpRequired: z.boolean(),
  followUpDate: z.string().nullable(),
  followUpTopics: z.array(z.string()).nullable(),
  cancelledReason: z.string().nullable(),
  noShowReason: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type SessionView = z.infer<typeof sessionSchema>;

export const sessionListItemSchema = sessionSchema.omit({ prepData: true }).extend({ hasPrep: z.boolean() });

export const noteSchema = z.object({
  id: z.string(),
  agentId: z.string(),
  agentName: z.string(),
  teamLeaderId: z.string(),
  teamLeaderName: z.string(),
  noteType: z.enum(noteTypes),
  category: z.string().nullable(),
  subcategory: z.string().nullable(),
  content: z.string(),
  callId: z.string().nullable(),
  customerId: z.string().nullable(),
  timestampOccurred: z.date().nullable(),
  priority: z.enum(priorities),
  requiresFollowUp: z.boolean(),
  linkedSessionId: z.string().nullable(),
  addressed: z.boolean(),
  addressedDate: z.date().nullable(),
  addressedNotes: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type NoteView = z.infer<typeof noteSchema>;

export const actionItemSchema = z.object({
  id: z.string(),
  sessionId: z.string().nullable(),
  agentId: z.string(),
  agentName: z.string(),
  assignedBy: z.string(),
  assignedByName: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.string().nullable(),
  dueDate: z.string(),
  reminderDate: z.string().nullable(),
  completedDate: z.date().nullable(),
  priority: z.enum(priorities),
  status: z.enum(actionItemStatuses),
  progressPercentage: z.number(),
  progressNotes: z.string().nullable(),
  blockers: z.string().nullable(),
  completionNotes: z.string().nullable(),
  verifiedBy: z.string().nullable(),
  verificationDate: z.date().nullable(),
  /** Past its due date in the organization's local date and still open. */
  overdue: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type ActionItemView = z.infer<typeof actionItemSchema>;

export const notificationSchema = z.object({
  id: z.string(),
  kind: z.enum(notificationKinds),
  title: z.string(),
  body: z.string().nullable(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  readAt: z.date().nullable(),
  createdAt: z.date(),
});

// ---- requests ----

export const scheduleSessionInput = z.object({
  agentId: z.uuid(),
  /** ISO instant (with Z or an offset), or a local date-time YYYY-MM-DDTHH:MM read in `timezone`. */
  start: text(40),
  /** IANA zone of a local `start`; defaults to the team leader's time zone. */
  timezone: z.string().trim().min(1).max(50).optional(),
  /** Defaults to the agent profile's preferred session length, else 30. */
  plannedMinutes: z.number().int().min(5).max(480).optional(),
  sessionType: z.enum(sessionTypes).default('REGULAR'),
  /** Who runs the session; defaults to the agent's team leader. */
  teamLeaderId: z.uuid().optional(),
});
export type ScheduleSessionInput = z.input<typeof scheduleSessionInput>;

export const updateSessionInput = z
  .object({
    start: text(40).optional(),
    timezone: z.string().trim().min(1).max(50).optional(),
    plannedMinutes: z.number().int().min(5).max(480).optional(),
    sessionType: z.enum(sessionTypes).optional(),
    discussionNotes: z.string().max(20_000).nullable().optional(),
    keyAchievements: z.string().max(5_000).nullable().optional(),
    areasOfConcern: z.string().max(5_000).nullable().optional(),
    agentCommitments: z.string().max(5_000).nullable().optional(),
  })
  .strict();
export type UpdateSessionInput = z.input<typeof updateSessionInput>;

const score = z.number().int().min(1).max(5);

export const newActionItemFields = z.object({
  title: text(255),
  description: text(),
  category: z.string().trim().max(100).nullable().optional(),
  dueDate: isoDate,
  reminderDate: isoDate.nullable().optional(),
  priority: z.enum(priorities).default('MEDIUM'),
});

export const completeSessionInput = z.object({
  topicsCovered: z.array(text(500)).max(50).default([]),
  discussionNotes: z.string().max(20_000).nullable().optional(),
  agentCommitments: z.string().max(5_000).nullable().optional(),
  resourcesShared: z.array(text(500)).max(50).default([]),
  engagementScore: score.nullable().optional(),
  receptivenessScore: score.nullable().optional(),
  understandingScore: score.nullable().optional(),
  overallEffectiveness: score.nullable().optional(),
  keyAchievements: z.string().max(5_000).nullable().optional(),
  areasOfConcern: z.string().max(5_000).nullable().optional(),
  followUp: z
    .object({
      required: z.boolean(),
      date: isoDate.optional(),
      topics: z.array(text(500)).max(20).optional(),
      /** Also schedule the FOLLOW_UP session (same rules as POST /sessions). */
      schedule: z
        .object({
          start: text(40),
          timezone: z.string().trim().min(1).max(50).optional(),
          plannedMinutes: z.number().int().min(5).max(480).optional(),
        })
        .optional(),
    })
    .optional(),
  /** Quick notes discussed in the session: marked addressed and linked to it. */
  addressedNotes: z
    .array(z.object({ id: z.uuid(), notes: z.string().max(5_000).nullable().optional() }))
    .max(100)
    .default([]),
  actionItems: z.array(newActionItemFields).max(50).default([]),
  /** Both or neither: starts effectiveness tracking for this session. */
  primaryIssue: z.string().trim().min(1).max(255).optional(),
  interventionMethod: z.string().trim().min(1).max(255).optional(),
  measurementPeriodDays: z.number().int().min(1).max(365).optional(),
  actualStartTime: z.iso.datetime({ offset: true }).optional(),
  actualEndTime: z.iso.datetime({ offset: true }).optional(),
});
export type CompleteSessionInput = z.input<typeof completeSessionInput>;

export const reasonInput = z.object({ reason: z.string().trim().max(2_000).optional() });

export const listSessionsQuery = z.object({
  agentId: z.uuid().optional(),
  teamLeaderId: z.uuid().optional(),
  status: z.enum(sessionStatuses).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const availabilityQuery = z.object({
  agentId: z.uuid(),
  /** A date in the team leader's time zone. */
  date: isoDate,
  minutes: z.coerce.number().int().min(5).max(480).optional(),
  teamLeaderId: z.uuid().optional(),
});

export const availabilitySchema = z.object({
  date: z.string(),
  minutes: z.number(),
  agent: z.object({ id: z.string(), name: z.string(), timezone: z.string(), workingHours: z.string() }),
  teamLeader: z.object({ id: z.string(), name: z.string(), timezone: z.string(), workingHours: z.string() }),
  slots: z.array(z.object({ start: z.date(), end: z.date(), agent: localTimeSchema, teamLeader: localTimeSchema })),
  busy: z.array(z.object({ sessionId: z.string(), start: z.date(), end: z.date(), who: z.enum(['agent', 'teamLeader', 'both']) })),
  message: z.string().nullable(),
});

export const createNoteInput = z.object({
  agentId: z.uuid(),
  noteType: z.enum(noteTypes),
  content: text(),
  category: z.string().trim().max(100).nullable().optional(),
  subcategory: z.string().trim().max(100).nullable().optional(),
  priority: z.enum(priorities).default('MEDIUM'),
  callId: z.string().trim().max(100).nullable().optional(),
  customerId: z.string().trim().max(100).nullable().optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  requiresFollowUp: z.boolean().default(false),
});
export type CreateNoteInput = z.input<typeof createNoteInput>;

export const listNotesQuery = z.object({
  agentId: z.uuid().optional(),
  addressed: z.enum(['true', 'false']).optional(),
  type: z.enum(noteTypes).optional(),
  priority: z.enum(priorities).optional(),
  sessionId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const updateNoteInput = z
  .object({
    addressed: z.boolean().optional(),
    addressedNotes: z.string().max(5_000).nullable().optional(),
    linkedSessionId: z.uuid().nullable().optional(),
    content: text().optional(),
    category: z.string().trim().max(100).nullable().optional(),
    subcategory: z.string().trim().max(100).nullable().optional(),
    priority: z.enum(priorities).optional(),
    noteType: z.enum(noteTypes).optional(),
    requiresFollowUp: z.boolean().optional(),
  })
  .strict();
export type UpdateNoteInput = z.input<typeof updateNoteInput>;

export const createActionItemInput = newActionItemFields.extend({ agentId: z.uuid(), sessionId: z.uuid().nullable().optional() });
export type CreateActionItemInput = z.input<typeof createActionItemInput>;

export const listActionItemsQuery = z.object({
  agentId: z.uuid().optional(),
  status: z.enum(actionItemStatuses).optional(),
  /** overdue: open and past due; today: due today; week: due in the next 7 days (local dates). */
  due: z.enum(['overdue', 'today', 'week']).optional(),
  sessionId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const updateActionItemInput = z
  .object({
    status: z.enum(actionItemStatuses).optional(),
    progressPercentage: z.number().int().min(0).max(100).optional(),
    progressNotes: z.string().max(5_000).nullable().optional(),
    blockers: z.string().max(5_000).nullable().optional(),
    completionNotes: z.string().max(5_000).nullable().optional(),
    title: text(255).optional(),
    description: text().optional(),
    category: z.string().trim().max(100).nullable().optional(),
    dueDate: isoDate.optional(),
    reminderDate: isoDate.nullable().optional(),
    priority: z.enum(priorities).optional(),
  })
  .strict();
export type UpdateActionItemInput = z.input<typeof updateActionItemInput>;

export const verifyActionItemInput = z.object({ notes: z.string().max(5_000).optional() });
