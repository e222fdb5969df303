import { AppError } from '../../core/errors.js';
import type { Operation } from '../operation.js';

/** Placeholder until the planning helper (C) lands it; answers with a clear error rather than a fake result. */
export const promotionsOpportunitiesOperation: Operation = async () => {
  throw new AppError('NOT_AVAILABLE', 'This command is not available yet.');
};
