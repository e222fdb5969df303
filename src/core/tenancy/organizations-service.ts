import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Actor, OrganizationRef, ServiceContext } from '../context.js';
import type { Db } from '../db/connection.js';
import { organizations } from '../db/schema.js';
import { recordAudit, writeAuditEntry } from '../audit/audit.js';
import { AppError, conflict, notFound } from '../errors.js';

export function isValidTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

export const organizationInput = z.object({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/, 'Use 3–50 lowercase letters, digits and dashes, e.g. "acme-retail"'),
  name: z.string().trim().min(1).max(200),
  timezone: z.string().refine(isValidTimeZone, 'Unknown IANA time zone, e.g. "Europe/Berlin"'),
});

export async function createOrganization(deps: { db: Db; clock: Clock; actor: Actor }, input: z.input<typeof organizationInput>): Promise<OrganizationRef> {
  const data = organizationInput.parse(input);
  const [existing] = await deps.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, data.slug));
  if (existing) throw conflict(`An organization with the slug "${data.slug}" already exists.`, [{ path: 'slug', message: 'Already taken' }]);
  const now = deps.clock.now();
  const [row] = await deps.db
    .insert(organizations)
    .values({ ...data, createdAt: now, updatedAt: now })
    .returning();
  await writeAuditEntry(deps.db, {
    organizationId: row.id,
    actor: deps.actor,
    action: 'organization.created',
    entityType: 'organization',
    entityId: row.id,
    after: row,
    at: now,
  });
  return { id: row.id, slug: row.slug, name: row.name, timezone: row.timezone };
}

export async function findOrganizationBySlug(db: Db, slug: string) {
  const [row] = await db.select().from(organizations).where(eq(organizations.slug, slug.toLowerCase()));
  return row ?? null;
}

export async function requireOrganizationBySlug(db: Db, slug: string): Promise<OrganizationRef> {
  const row = await findOrganizationBySlug(db, slug);
  if (!row) throw new AppError('NOT_FOUND', `No organization has the slug "${slug}". List them with \`retailops db info\`.`, { status: 404 });
  return { id: row.id, slug: row.slug, name: row.name, timezone: row.timezone };
}

export async function getCurrentOrganization(ctx: ServiceContext) {
  const [row] = await ctx.db.select().from(organizations).where(eq(organizations.id, ctx.organization.id));
  if (!row) throw notFound('Organization');
  return row;
}

export const organizationPatch = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  timezone: z.string().refine(isValidTimeZone, 'Unknown IANA time zone, e.g. "Europe/Berlin"').optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});

export async function updateCurrentOrganization(ctx: ServiceContext, patch: z.infer<typeof organizationPatch>) {
  const before = await getCurrentOrganization(ctx);
  const [after] = await ctx.db
    .update(organizations)
    .set({ ...patch, updatedAt: ctx.clock.now() })
    .where(eq(organizations.id, ctx.organization.id))
    .returning();
  await recordAudit(ctx, { action: 'organization.updated', entityType: 'organization', entityId: after.id, before, after });
  return after;
}
