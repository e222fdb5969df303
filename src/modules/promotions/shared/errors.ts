import { AppError } from '../../../core/errors.js';

/** Promotions' own error codes; the HTTP status says whose mistake it is. */
export const promotionsError = (code: string, message: string, options: { status?: number; details?: unknown } = {}) =>
  new AppError(`PROMOTIONS_${code}`, message, options);
