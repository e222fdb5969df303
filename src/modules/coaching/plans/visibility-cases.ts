import type { VisibilityCase } from '../testing/visibility-case.js';

export const plansVisibilityCases: VisibilityCase[] = [];
