import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { installAuth } from './auth-hooks.js';
import { installErrorHandling } from './error-handler.js';
import { installMetrics } from './metrics.js';
import type { AppDeps, TypedApp } from './types.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerAdminRoutes } from './routes/admin-routes.js';
import { registerSystemRoutes } from './routes/system-routes.js';
import { registerJobRoutes } from './routes/job-routes.js';

export const webDistDir = path.resolve(import.meta.dirname, '../../../web/dist');

/** Builds the HTTP application: API, OpenAPI docs, metrics and the web app, with nothing listening yet. */
export async function buildApp(deps: AppDeps): Promise<TypedApp> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'http' }) as unknown as FastifyBaseLogger,
    bodyLimit: deps.config.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    trustProxy: deps.config.env.TRUST_PROXY === 'true',
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Mantine and Swagger UI set inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'RetailOps API',
        version: deps.version,
        description: 'Session cookie (web app, with x-csrf-token on writes) or `Authorization: Bearer <API token>`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'retailops_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  installAuth(app, deps);
  installMetrics(app);

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await registerSystemRoutes(app, deps);
  await registerAuthRoutes(app, deps);
  await registerAdminRoutes(app, deps);
  await registerJobRoutes(app, deps);
  for (const module of deps.modules) await module.registerRoutes?.(app, deps);

  const webBuilt = existsSync(path.join(webDistDir, 'index.html'));
  if (webBuilt) await app.register(fastifyStatic, { root: webDistDir, wildcard: false, index: false });

  app.setNotFoundHandler((request, reply) => {
    const isApi = request.url.startsWith('/api') || request.url.startsWith('/metrics');
    if (!isApi && request.method === 'GET' && webBuilt) {
      // Client-side routes: the SPA decides what a path shows.
      return reply.type('text/html').sendFile('index.html');
    }
    return reply
      .status(404)
      .send({ error: { code: 'ROUTE_NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}. The API is described at /api/docs.` } });
  });
  return app;
}
