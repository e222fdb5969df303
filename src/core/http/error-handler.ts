import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { isAppError } from '../errors.js';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const body = (code: string, message: string, details?: unknown): ErrorBody => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

const zodIssuesToDetails = (issues: { path: PropertyKey[]; message: string }[], prefix?: string) =>
  issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || (prefix ?? ''), message: i.message }));

/** Maps every failure to `{error: {code, message, details}}`; 5xx details stay in the log, never in the reply. */
export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      const details = error.validation.map((v) => ({
        path: [
          where,
          ...String(v.instancePath ?? '')
            .split('/')
            .filter(Boolean),
        ].join('.'),
        message: v.message ?? 'Invalid value',
      }));
      return reply
        .status(400)
        .send(body('VALIDATION_FAILED', `The request ${where} is invalid: ${details.map((d) => `${d.path} — ${d.message}`).join('; ')}`, details));
    }
    if (isAppError(error)) {
      if (error.status >= 500) request.log.error({ err: error }, 'application error');
      return reply.status(error.status).send(body(error.code, error.message, error.details));
    }
    if (error instanceof ZodError) {
      const details = zodIssuesToDetails(error.issues);
      return reply
        .status(400)
        .send(body('VALIDATION_FAILED', `Invalid input: ${details.map((d) => `${d.path || '(root)'} — ${d.message}`).join('; ')}`, details));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, cause: error.cause }, 'response did not match its schema');
      return reply.status(500).send(body('INTERNAL', `Something went wrong on our side (request ${request.id}).`));
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.status(400).send(body('MALFORMED_JSON', `The request body is not valid JSON: ${error.message}`));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.status(413).send(body('PAYLOAD_TOO_LARGE', 'The request body is larger than this endpoint accepts.'));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.status(415).send(body('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.'));
    }
    if (error.statusCode === 429) {
      return reply.status(429).send(body('RATE_LIMITED', error.message || 'Too many requests; slow down and retry shortly.'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send(body(error.code ?? 'BAD_REQUEST', error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(body('INTERNAL', `Something went wrong on our side (request ${request.id}). It has been logged.`));
  });
}
