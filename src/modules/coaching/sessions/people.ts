import { and, eq, inArray } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { notFound } from '../../../core/errors.js';
import type { CoachingViewer, Person } from '../shared/access.js';
import { users } from '../schema.js';

/** The people named in a list of rows, by id, in one query. */
export async function peopleById(ctx: ServiceContext, ids: (string | null | undefined)[]): Promise<Map<string, Person>> {
  const unique = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (unique.length === 0) return new Map();
  const rows = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.organizationId, ctx.organization.id), inArray(users.id, unique)));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function loadPerson(ctx: ServiceContext, id: string): Promise<Person> {
  const [person] = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.organizationId, ctx.organization.id), eq(users.id, id)));
  if (!person) throw notFound('Person', id);
  return person;
}

/** The zone the viewer reads times in: their own, else the organization's. */
export async function viewerTimeZone(ctx: ServiceContext, viewer: CoachingViewer): Promise<string> {
  if (!viewer.personId) return ctx.organization.timezone;
  const [row] = await ctx.db.select({ timezone: users.timezone }).from(users).where(eq(users.id, viewer.personId));
  return row?.timezone ?? ctx.organization.timezone;
}

export const nameOf = (people: Map<string, Person>, id: string | null) => (id ? (people.get(id)?.name ?? 'someone') : 'someone');
