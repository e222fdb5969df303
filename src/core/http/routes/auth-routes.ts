import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  confirmPasswordReset,
  createSession,
  listUserOrganizations,
  login,
  logout,
  requestPasswordReset,
  resolveSession,
  setPassword,
  switchOrganization,
  verifyLogin,
  type AuthenticatedPrincipal,
} from '../../auth/auth-service.js';
import { unauthenticated } from '../../errors.js';
import { csrfCookie, sessionCookie } from '../auth-hooks.js';
import type { AppDeps, TypedApp } from '../types.js';
import { errorResponses } from './schemas.js';

const meSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  organization: z.object({ id: z.string(), slug: z.string(), name: z.string(), timezone: z.string() }),
  role: z.string(),
  organizations: z.array(z.object({ id: z.string(), slug: z.string(), name: z.string(), timezone: z.string(), role: z.string() })),
  csrfToken: z.string(),
  via: z.enum(['session', 'token']),
});

async function describeMe(deps: AppDeps, principal: AuthenticatedPrincipal) {
  return {
    user: principal.user,
    organization: principal.organization,
    role: principal.role,
    organizations: await listUserOrganizations(deps.database.db, principal.user.id),
    csrfToken: principal.csrfToken ?? '',
    via: principal.via,
  };
}

const meta = (request: FastifyRequest) => ({ ip: request.ip, userAgent: request.headers['user-agent'], requestId: request.id });

export async function registerAuthRoutes(app: TypedApp, deps: AppDeps) {
  const authDeps = { db: deps.database.db, clock: deps.clock, sessionTtlHours: deps.config.sessionTtlHours };
  const setSessionCookies = (reply: FastifyReply, session: { token: string; csrfToken: string; expiresAt: Date }) => {
    // max-age rather than an absolute expiry: the browser's clock may differ from ours; the server enforces expiry anyway.
    const maxAge = Math.max(0, Math.floor((session.expiresAt.getTime() - deps.clock.now().getTime()) / 1000));
    const common = { path: '/', sameSite: 'lax' as const, secure: deps.config.cookieSecure, maxAge };
    reply.setCookie(sessionCookie, session.token, { ...common, httpOnly: true });
    reply.setCookie(csrfCookie, session.csrfToken, { ...common, httpOnly: false });
  };

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public', rateLimit: { max: deps.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        body: z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(500) }),
        response: { 200: meSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = await login(authDeps, request.body.email, request.body.password, meta(request));
      setSessionCookies(reply, session);
      const principal = await resolveSession(authDeps, session.token);
      return describeMe(deps, principal!);
    },
  );

  app.post('/api/auth/logout', { config: { access: 'public' }, schema: { tags: ['auth'], summary: 'End this session' } }, async (request, reply) => {
    if (request.principal?.sessionId) await logout(authDeps, request.principal.sessionId);
    reply.clearCookie(sessionCookie, { path: '/' });
    reply.clearCookie(csrfCookie, { path: '/' });
    return reply.status(204).send();
  });

  app.get(
    '/api/auth/me',
    {
      config: { access: 'viewer' },
      schema: { tags: ['auth'], summary: 'The signed-in user, the current organization and role', response: { 200: meSchema, ...errorResponses } },
    },
    async (request) => describeMe(deps, request.principal!),
  );

  app.post(
    '/api/auth/switch-organization',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['auth'],
        summary: 'Make another of your organizations the current one',
        body: z.object({ organizationId: z.uuid() }),
        response: { 200: meSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = request.principal!;
      if (principal.via !== 'session') throw unauthenticated('An API token belongs to one organization; create a token in the other organization instead.');
      await switchOrganization(authDeps, principal.sessionId!, principal.user.id, request.body.organizationId);
      const switched = await resolveSession(authDeps, request.cookies[sessionCookie]!);
      return describeMe(deps, switched!);
    },
  );

  app.post(
    '/api/auth/password-reset/request',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Email a single-use reset link (answers the same whether or not the email exists)',
        body: z.object({ email: z.string().trim().min(1).max(320) }),
        response: { 202: z.object({ ok: z.literal(true) }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const reset = await requestPasswordReset(authDeps, request.body.email, meta(request));
      if (reset) {
        const link = `${deps.config.publicUrl}/reset-password?token=${encodeURIComponent(reset.token)}`;
        await deps.deliverMessage({
          to: reset.user.email,
          subject: 'Reset your RetailOps password',
          text: `Hello ${reset.user.name},\n\nOpen this link within one hour to choose a new password:\n${link}\n\nIf you did not ask for this, ignore this message.`,
        });
      }
      return reply.status(202).send({ ok: true as const });
    },
  );

  app.post(
    '/api/auth/password-reset/confirm',
    {
      config: { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with a reset token',
        body: z.object({ token: z.string().min(10).max(200), password: z.string().min(1).max(500) }),
        response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
      },
    },
    async (request) => {
      await confirmPasswordReset(authDeps, request.body.token, request.body.password, meta(request));
      return { ok: true as const };
    },
  );

  app.post(
    '/api/auth/change-password',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (signs out your other sessions)',
        body: z.object({ currentPassword: z.string().min(1), newPassword: z.string().min(1).max(500) }),
        response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      await verifyLogin(authDeps, principal.user.email, request.body.currentPassword, meta(request));
      await setPassword(authDeps, principal.user.id, request.body.newPassword);
      if (principal.via === 'session') {
        setSessionCookies(reply, await createSession(authDeps, principal.user.id, principal.organization.id, meta(request)));
      }
      return { ok: true as const };
    },
  );
}
