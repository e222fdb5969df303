import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Actor, OrganizationRef } from '../context.js';
import type { Db } from '../db/connection.js';
import { apiTokens, memberships, organizations, sessions, users } from '../db/schema.js';
import { writeAuditEntry } from '../audit/audit.js';
import { AppError, notFound } from '../errors.js';
import { roleAtLeast } from '../roles.js';
import { randomToken, sha256Hex } from '../secrets.js';
import { assertPasswordAcceptable, hashPassword, verifyPassword } from './passwords.js';

/** Failures before each further attempt must wait (1 s, 2 s, 4 s, … doubling). */
export const throttleAfterFailures = 5;
/** Failures in a row that lock the account. */
export const lockAfterFailures = 10;
export const lockDurationMs = 15 * 60_000;
export const passwordResetTtlMs = 60 * 60_000;

export interface AuthDeps {
  db: Db;
  clock: Clock;
}

export interface RequestMeta {
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

export interface OrganizationMembership extends OrganizationRef {
  role: string;
}

export interface AuthenticatedPrincipal {
  user: { id: string; email: string; name: string };
  organization: OrganizationRef;
  role: string;
  actor: Actor;
  via: 'session' | 'token';
  sessionId?: string;
  csrfToken?: string;
}

const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function findUserByEmail(db: Db, email: string) {
  const [user] = await db
    .select()
    .from(users)
    .where(and(sql`lower(${users.email}) = ${normalizeEmail(email)}`, isNull(users.deletedAt)))
    .limit(1);
  return user ?? null;
}

export async function listUserOrganizations(db: Db, userId: string): Promise<OrganizationMembership[]> {
  return db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, timezone: organizations.timezone, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId))
    .orderBy(organizations.name);
}

async function auditForUserOrganizations(deps: AuthDeps, userId: string | null, entry: { action: string; actor: Actor; meta: RequestMeta; after?: unknown }) {
  const orgs = userId ? await listUserOrganizations(deps.db, userId) : [];
  const targets = orgs.length > 0 ? orgs.map((o) => o.id) : [null];
  for (const organizationId of targets) {
    await writeAuditEntry(deps.db, {
      organizationId,
      actor: entry.actor,
      action: entry.action,
      entityType: 'user',
      entityId: userId,
      after: entry.after,
      ip: entry.meta.ip,
      requestId: entry.meta.requestId,
      at: deps.clock.now(),
    });
  }
}

/**
 * Checks an email and password with throttling: after 5 failures each attempt must wait longer (429),
 * after 10 the account locks for 15 minutes (423). Every failure is audited.
 */
export async function verifyLogin(deps: AuthDeps, email: string, password: string, meta: RequestMeta) {
  const now = deps.clock.now();
  const user = await findUserByEmail(deps.db, email);
  const actor: Actor = { type: 'user', id: user?.id ?? null, label: normalizeEmail(email), userId: user?.id ?? null };
  if (user?.lockedUntil && user.lockedUntil > now) {
    await auditForUserOrganizations(deps, user.id, { action: 'auth.login_blocked', actor, meta, after: { lockedUntil: user.lockedUntil } });
    throw new AppError(
      'ACCOUNT_LOCKED',
      `Too many failed sign-ins: this account is locked until ${user.lockedUntil.toISOString()}. Try again then, or ask an administrator to reset the password.`,
      {
        status: 423,
        details: { retryAt: user.lockedUntil.toISOString() },
      },
    );
  }
  if (user && user.failedLoginCount >= throttleAfterFailures && user.lastFailedLoginAt) {
    const waitMs = 1000 * 2 ** (user.failedLoginCount - throttleAfterFailures);
    const retryAt = new Date(user.lastFailedLoginAt.getTime() + waitMs);
    if (retryAt > now) {
      await auditForUserOrganizations(deps, user.id, { action: 'auth.login_throttled', actor, meta, after: { retryAt } });
      throw new AppError('LOGIN_THROTTLED', `Too many failed sign-ins. Wait ${Math.ceil((retryAt.getTime() - now.getTime()) / 1000)} s before trying again.`, {
        status: 429,
        details: { retryAt: retryAt.toISOString() },
      });
    }
  }
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !ok || !user.active) {
    if (user) {
      const failures = user.failedLoginCount + 1;
      const lockedUntil = failures >= lockAfterFailures ? new Date(now.getTime() + lockDurationMs) : null;
      await deps.db.update(users).set({ failedLoginCount: failures, lastFailedLoginAt: now, lockedUntil, updatedAt: now }).where(eq(users.id, user.id));
      await auditForUserOrganizations(deps, user.id, { action: 'auth.login_failed', actor, meta, after: { failedLoginCount: failures } });
      if (lockedUntil) {
        await auditForUserOrganizations(deps, user.id, { action: 'auth.account_locked', actor, meta, after: { lockedUntil } });
      }
    } else {
      await auditForUserOrganizations(deps, null, { action: 'auth.login_failed', actor, meta, after: { unknownEmail: true } });
    }
    throw new AppError('INVALID_CREDENTIALS', 'The email or password is not correct.', { status: 401 });
  }
  await deps.db
    .update(users)
    .set({ failedLoginCount: 0, lastFailedLoginAt: null, lockedUntil: null, lastLoginAt: now, updatedAt: now })
    .where(eq(users.id, user.id));
  return user;
}

export async function login(deps: AuthDeps & { sessionTtlHours: number }, email: string, password: string, meta: RequestMeta) {
  const user = await verifyLogin(deps, email, password, meta);
  const orgs = await listUserOrganizations(deps.db, user.id);
  if (orgs.length === 0) {
    throw new AppError('NO_ORGANIZATION', 'This account does not belong to any organization yet. Ask an administrator to add you.', { status: 403 });
  }
  const session = await createSession(deps, user.id, await preferredOrganization(deps.db, user.id, orgs), meta);
  const actor: Actor = { type: 'user', id: user.id, label: user.email, userId: user.id };
  await auditForUserOrganizations(deps, user.id, { action: 'auth.login', actor, meta });
  return session;
}

/** Where a sign-in lands: the organization of the user's latest session, else the one they joined first. */
async function preferredOrganization(db: Db, userId: string, orgs: OrganizationMembership[]): Promise<string> {
  const [latest] = await db
    .select({ organizationId: sessions.organizationId })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(desc(sessions.lastSeenAt))
    .limit(1);
  if (latest && orgs.some((o) => o.id === latest.organizationId)) return latest.organizationId;
  const [first] = await db
    .select({ organizationId: memberships.organizationId })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  return first?.organizationId ?? orgs[0].id;
}

export async function createSession(deps: AuthDeps & { sessionTtlHours: number }, userId: string, organizationId: string, meta: RequestMeta) {
  const token = randomToken('ros_');
  const csrfToken = randomToken('', 24);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.sessionTtlHours * 3_600_000);
  await deps.db.insert(sessions).values({
    id: sha256Hex(token),
    userId,
    organizationId,
    csrfToken,
    ip: meta.ip ?? null,
    userAgent: meta.userAgent?.slice(0, 400) ?? null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
  });
  return { token, csrfToken, expiresAt };
}

async function principalFor(db: Db, userId: string, organizationId: string) {
  const [row] = await db
    .select({
      user: { id: users.id, email: users.email, name: users.name, active: users.active, deletedAt: users.deletedAt },
      organization: { id: organizations.id, slug: organizations.slug, name: organizations.name, timezone: organizations.timezone },
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(and(eq(memberships.userId, userId), eq(memberships.organizationId, organizationId)))
    .limit(1);
  if (!row || !row.user.active || row.user.deletedAt) return null;
  return row;
}

export async function resolveSession(deps: AuthDeps, token: string): Promise<AuthenticatedPrincipal | null> {
  const now = deps.clock.now();
  const id = sha256Hex(token);
  const [session] = await deps.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now)))
    .limit(1);
  if (!session) return null;
  const found = await principalFor(deps.db, session.userId, session.organizationId);
  if (!found) return null;
  // Touch at most once a minute: a busy dashboard must not turn every read into a write.
  if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
    await deps.db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
  }
  return {
    user: { id: found.user.id, email: found.user.email, name: found.user.name },
    organization: found.organization,
    role: found.role,
    actor: { type: 'user', id: found.user.id, label: found.user.email, userId: found.user.id },
    via: 'session',
    sessionId: id,
    csrfToken: session.csrfToken,
  };
}

export async function resolveApiToken(deps: AuthDeps, token: string): Promise<AuthenticatedPrincipal | null> {
  const now = deps.clock.now();
  const [row] = await deps.db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, sha256Hex(token)))
    .limit(1);
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  const found = await principalFor(deps.db, row.userId, row.organizationId);
  if (!found) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await deps.db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
  }
  return {
    user: { id: found.user.id, email: found.user.email, name: found.user.name },
    organization: found.organization,
    // A token never grants more than its owner currently has.
    role: lowerRole(row.role, found.role),
    actor: { type: 'token', id: row.id, label: `token ${row.tokenPrefix}… (${row.name})`, userId: row.userId },
    via: 'token',
  };
}

function lowerRole(a: string, b: string): string {
  return roleAtLeast(a, b) ? b : a;
}

export async function switchOrganization(deps: AuthDeps, sessionId: string, userId: string, organizationId: string) {
  const found = await principalFor(deps.db, userId, organizationId);
  // Not a member looks the same as not existing.
  if (!found) throw notFound('Organization', organizationId);
  await deps.db.update(sessions).set({ organizationId }).where(eq(sessions.id, sessionId));
}

export async function logout(deps: AuthDeps, sessionId: string) {
  await deps.db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Creates a single-use reset token valid for one hour; returns null (silently) for unknown emails. */
export async function requestPasswordReset(deps: AuthDeps, email: string, meta: RequestMeta) {
  const user = await findUserByEmail(deps.db, email);
  if (!user || !user.active) return null;
  const token = randomToken('rpr_', 24);
  const expiresAt = new Date(deps.clock.now().getTime() + passwordResetTtlMs);
  await deps.db
    .update(users)
    .set({ passwordResetToken: sha256Hex(token), passwordResetExpires: expiresAt, updatedAt: deps.clock.now() })
    .where(eq(users.id, user.id));
  const actor: Actor = { type: 'user', id: user.id, label: user.email, userId: user.id };
  await auditForUserOrganizations(deps, user.id, { action: 'auth.password_reset_requested', actor, meta });
  return { token, expiresAt, user: { id: user.id, email: user.email, name: user.name } };
}

export async function confirmPasswordReset(deps: AuthDeps, token: string, newPassword: string, meta: RequestMeta) {
  assertPasswordAcceptable(newPassword);
  const now = deps.clock.now();
  const [user] = await deps.db
    .select()
    .from(users)
    .where(and(eq(users.passwordResetToken, sha256Hex(token)), gt(users.passwordResetExpires, now)))
    .limit(1);
  if (!user) {
    throw new AppError('RESET_TOKEN_INVALID', 'This password reset link is invalid, already used or expired. Request a new one.', { status: 400 });
  }
  await setPassword(deps, user.id, newPassword);
  const actor: Actor = { type: 'user', id: user.id, label: user.email, userId: user.id };
  await auditForUserOrganizations(deps, user.id, { action: 'auth.password_reset', actor, meta });
}

/** Sets a new password, consumes any reset token, lifts a lockout and signs the user out everywhere. */
export async function setPassword(deps: AuthDeps, userId: string, newPassword: string) {
  assertPasswordAcceptable(newPassword);
  const passwordHash = await hashPassword(newPassword);
  await deps.db
    .update(users)
    .set({
      passwordHash,
      passwordResetToken: null,
      passwordResetExpires: null,
      failedLoginCount: 0,
      lockedUntil: null,
      lastFailedLoginAt: null,
      updatedAt: deps.clock.now(),
    })
    .where(eq(users.id, userId));
  await deps.db.delete(sessions).where(eq(sessions.userId, userId));
}
