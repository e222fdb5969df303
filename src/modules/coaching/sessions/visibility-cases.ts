import type { VisibilityCase } from '../testing/visibility-case.js';

export const sessionsVisibilityCases: VisibilityCase[] = [];
