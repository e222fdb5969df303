import { AppError } from '../../../core/errors.js';

/** Coaching's own error codes; the HTTP status says whose mistake it is. */
export const coachingError = (code: string, message: string, options: { status?: number; details?: unknown } = {}) =>
  new AppError(`COACHING_${code}`, message, options);
