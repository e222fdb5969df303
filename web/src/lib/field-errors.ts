import { ApiError } from '../api';

export type FieldErrors<Field extends string> = {
  fields: Partial<Record<Field, string>>;
  /** Validation messages that could not be attached to a visible field. */
  other: string[];
};

/**
 * Maps `details: [{path, message}]` of a validation error onto form fields.
 * Servers spell paths differently (`email`, `body.email`, `/body/email`), so we match on the last segment.
 */
export function fieldErrorsFrom<Field extends string>(error: unknown, fields: readonly Field[]): FieldErrors<Field> {
  const result: FieldErrors<Field> = { fields: {}, other: [] };
  if (!(error instanceof ApiError)) return result;
  for (const issue of error.validationIssues) {
    const segment =
      issue.path
        .split(/[./[\]]/)
        .filter(Boolean)
        .pop() ?? '';
    const field = fields.find((name) => name === segment);
    if (field && !result.fields[field]) result.fields[field] = issue.message;
    else result.other.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
  }
  return result;
}
