import { AppError } from '../../core/errors.js';
import type { Operation } from '../operation.js';

/** Placeholders until the learning helper (D) lands them; they answer with a clear error rather than a fake result. */
export const promotionsValidateOperation: Operation = async () => {
  throw new AppError('NOT_AVAILABLE', 'This command is not available yet.');
};

export const promotionsPostMortemOperation: Operation = async () => {
  throw new AppError('NOT_AVAILABLE', 'This command is not available yet.');
};
