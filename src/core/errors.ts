/** The one error type of the application: a stable code, a user-facing message, an HTTP status. */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: unknown;

  constructor(code: string, message: string, options: { status?: number; details?: unknown; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? 400;
    this.details = options.details;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export const notFound = (entity: string, id?: string) =>
  new AppError('NOT_FOUND', id ? `${entity} ${id} was not found.` : `${entity} was not found.`, { status: 404 });

export const forbidden = (message = 'Your role in this organization does not allow this action.') => new AppError('FORBIDDEN', message, { status: 403 });

export const unauthenticated = (message = 'Sign in first, or send a valid API token as "Authorization: Bearer <token>".') =>
  new AppError('UNAUTHENTICATED', message, { status: 401 });

export const conflict = (message: string, details?: unknown) => new AppError('CONFLICT', message, { status: 409, details });

export interface FieldIssue {
  path: string;
  message: string;
}

export const validationFailed = (message: string, details: FieldIssue[]) => new AppError('VALIDATION_FAILED', message, { status: 400, details });
