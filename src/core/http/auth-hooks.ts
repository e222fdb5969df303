import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resolveApiToken, resolveSession } from '../auth/auth-service.js';
import type { ServiceContext } from '../context.js';
import { AppError, forbidden, unauthenticated } from '../errors.js';
import { isKnownRole, roleAtLeast } from '../roles.js';
import type { AppDeps } from './types.js';

export const sessionCookie = 'retailops_session';
export const csrfCookie = 'retailops_csrf';
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const isLoopback = (ip: string) => ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';

/**
 * Resolves the caller (session cookie or bearer token) and enforces each route's declared access.
 * Every /api route must declare `config.access`; registering one without it fails at startup.
 */
export function installAuth(app: FastifyInstance, deps: AppDeps) {
  app.decorateRequest('principal', null);
  app.decorateRequest('serviceContext', function serviceContext(this: FastifyRequest): ServiceContext {
    const principal = this.principal;
    if (!principal) throw unauthenticated();
    return {
      db: deps.database.db,
      organization: principal.organization,
      actor: principal.actor,
      role: principal.role,
      clock: deps.clock,
      log: this.log as unknown as ServiceContext['log'],
      requestId: this.id,
      ip: this.ip,
    };
  });

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${route.method} ${route.url} declares no config.access`);
    if (access !== 'public' && access !== 'local' && !isKnownRole(access)) throw new Error(`Route ${route.url} has unknown access ${access}`);
  });

  // onRequest: callers are identified and checked before their body is even parsed or validated.
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config?.access;
    if (!access || !request.url.startsWith('/api/')) return;
    if (access === 'local') {
      const token = request.headers['x-retailops-local-token'];
      if (!deps.bridgeToken || typeof token !== 'string' || !isLoopback(request.ip) || !safeEqual(token, deps.bridgeToken)) {
        throw forbidden('This endpoint only answers the retailops CLI on this machine.');
      }
      return;
    }
    request.principal = await resolvePrincipal(request, deps);
    if (access === 'public') return;
    if (!request.principal) throw unauthenticated();
    if (request.principal.via === 'session' && unsafeMethods.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !request.principal.csrfToken || !safeEqual(sent, request.principal.csrfToken)) {
        throw new AppError('CSRF_FAILED', 'Missing or wrong x-csrf-token header; reload the page and try again.', { status: 403 });
      }
    }
    if (!roleAtLeast(request.principal.role, access)) {
      throw forbidden(`This needs the ${access} role or higher; you are ${request.principal.role} in ${request.principal.organization.name}.`);
    }
    void reply;
  });
}

async function resolvePrincipal(request: FastifyRequest, deps: AppDeps) {
  const authDeps = { db: deps.database.db, clock: deps.clock };
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
    const principal = await resolveApiToken(authDeps, match[1]);
    if (!principal) throw unauthenticated('The API token is unknown, revoked or expired.');
    return principal;
  }
  const cookie = request.cookies?.[sessionCookie];
  if (!cookie) return null;
  return resolveSession(authDeps, cookie);
}
