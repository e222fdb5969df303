import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { forbidden } from '../../../core/errors.js';
import { agentProfiles, learningStyles, type LearningStyle } from '../schema.js';
import { canManagePerson, describeRole, loadVisiblePerson, resolveCoachingViewer, type CoachingViewer, type Person } from '../shared/access.js';
import { coachingError } from '../shared/errors.js';

/** learning_style is NOT NULL in the seed's agent_profiles: the person's own style when valid, VISUAL otherwise. */
export const defaultLearningStyle: LearningStyle = 'VISUAL';

export function learningStyleOf(person: Pick<Person, 'learningStyle'>): LearningStyle {
  const style = person.learningStyle?.trim().toUpperCase();
  return (learningStyles as readonly string[]).includes(style ?? '') ? (style as LearningStyle) : defaultLearningStyle;
}

const list = z.array(z.string().trim().min(1).max(200)).max(30);
export const profileInput = z.object({
  learningStyle: z.enum(learningStyles).optional(),
  preferredFeedbackMethod: z.string().trim().max(100).nullable().optional(),
  primaryMotivators: list.nullable().optional(),
  demotivators: list.nullable().optional(),
  coreStrengths: list.nullable().optional(),
  developmentAreas: list.nullable().optional(),
  hiddenTalents: list.nullable().optional(),
  stressIndicators: list.nullable().optional(),
  successPatterns: list.nullable().optional(),
  bestCoachingTime: z.string().trim().max(50).nullable().optional(),
  preferredSessionLength: z.number().int().min(5).max(240).nullable().optional(),
  respondsWellTo: list.nullable().optional(),
  careerAspirations: z.string().max(4000).nullable().optional(),
  personalGoals: z.string().max(4000).nullable().optional(),
  peerComparisonOptIn: z.boolean().optional(),
});
type ProfileInput = z.output<typeof profileInput>;

export type AgentProfileView = Omit<typeof agentProfiles.$inferSelect, 'percentileRanking' | 'createdAt' | 'updatedAt'> & {
  /** false: nothing stored yet, these are the defaults. */
  exists: boolean;
  percentileRanking: Record<string, unknown> | null;
  /** true when the agent reads their own profile and opted out of peer comparison. */
  percentileHidden: boolean;
  createdAt: Date | null;
  updatedAt: Date | null;
};

function requireAgent(person: Person) {
  if (person.role !== 'AGENT') {
    throw coachingError('NOT_AN_AGENT', `${person.name} is ${describeRole(person.role)}; coaching profiles are kept for agents.`, { status: 400 });
  }
}

export async function readProfile(ctx: ServiceContext, viewer: CoachingViewer, person: Person): Promise<AgentProfileView> {
  const [row] = await ctx.db.select().from(agentProfiles).where(eq(agentProfiles.agentId, person.id));
  const self = viewer.personId === person.id;
  const base = row ?? {
    agentId: person.id,
    organizationId: person.organizationId,
    learningStyle: learningStyleOf(person),
    preferredFeedbackMethod: null,
    primaryMotivators: null,
    demotivators: null,
    coreStrengths: null,
    developmentAreas: null,
    hiddenTalents: null,
    stressIndicators: null,
    successPatterns: null,
    bestCoachingTime: null,
    preferredSessionLength: null,
    respondsWellTo: null,
    careerAspirations: null,
    personalGoals: null,
    peerComparisonOptIn: true,
    percentileRanking: null,
    profileCreatedBy: null,
    lastUpdatedBy: null,
    createdAt: null,
    updatedAt: null,
  };
  const hidden = self && !base.peerComparisonOptIn;
  return {
    ...base,
    exists: Boolean(row),
    percentileRanking: hidden ? null : ((base.percentileRanking as Record<string, unknown> | null) ?? null),
    percentileHidden: hidden,
  };
}

export async function getProfile(ctx: ServiceContext, personId: string): Promise<AgentProfileView> {
  const viewer = await resolveCoachingViewer(ctx);
  const person = await loadVisiblePerson(ctx, viewer, personId);
  requireAgent(person);
  return readProfile(ctx, viewer, person);
}

/** Leader / manager / admin edit the profile; the agent may only switch their own peer-comparison opt-in. */
export async function putProfile(ctx: ServiceContext, personId: string, input: ProfileInput): Promise<AgentProfileView> {
  return inTransaction(ctx, async (tx) => {
    const viewer = await resolveCoachingViewer(tx);
    const person = await loadVisiblePerson(tx, viewer, personId);
    requireAgent(person);
    const self = viewer.personId === person.id;
    const changed = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
    if (!canManagePerson(viewer, person)) {
      if (!(self && changed.every((k) => k === 'peerComparisonOptIn'))) {
        throw forbidden(
          self
            ? 'You can switch peer comparison on or off in your profile; the rest is kept by your team leader.'
            : `As ${describeRole(viewer.role)} you cannot edit ${person.name}'s profile; their team leader, manager or an admin can.`,
        );
      }
    }
    const values = Object.fromEntries(changed.map((k) => [k, (input as Record<string, unknown>)[k]])) as Partial<typeof agentProfiles.$inferInsert>;
    await tx.db
      .insert(agentProfiles)
      .values({
        agentId: person.id,
        organizationId: tx.organization.id,
        learningStyle: input.learningStyle ?? learningStyleOf(person),
        ...values,
        profileCreatedBy: viewer.personId,
        lastUpdatedBy: viewer.personId,
      })
      .onConflictDoUpdate({ target: agentProfiles.agentId, set: { ...values, lastUpdatedBy: viewer.personId } });
    return readProfile(tx, viewer, person);
  });
}
