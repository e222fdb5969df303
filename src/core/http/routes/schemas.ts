import { z } from 'zod';

export const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });

/** Declared on routes so the OpenAPI document shows the shared error shape. */
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  423: errorSchema,
  429: errorSchema,
};

export const idParams = z.object({ id: z.uuid() });
