import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../core/testing/test-app.js';
import { analyticsVisibilityCases } from './analytics/visibility-cases.js';
import { effectivenessVisibilityCases } from './effectiveness/visibility-cases.js';
import { importsVisibilityCases } from './imports/visibility-cases.js';
import { coachingModule } from './index.js';
import { coachingJobs } from './jobs.js';
import { peopleVisibilityCases } from './people/visibility-cases.js';
import { plansVisibilityCases } from './plans/visibility-cases.js';
import { registeredCoachingRoutes } from './routes.js';
import { sessionsVisibilityCases } from './sessions/visibility-cases.js';
import { createHierarchyFixture, type HierarchyFixture } from './testing/hierarchy-fixture.js';

const cases = [
  ...peopleVisibilityCases,
  ...importsVisibilityCases,
  ...analyticsVisibilityCases,
  ...sessionsVisibilityCases,
  ...plansVisibilityCases,
  ...effectivenessVisibilityCases,
];

describe('coaching hierarchy visibility, route by route', () => {
  let t: TestApp;
  let fixture: HierarchyFixture;
  beforeAll(async () => {
    t = await createTestApp({ modules: [coachingModule.descriptor], jobs: coachingJobs });
    fixture = await createHierarchyFixture(t);
  }, 120_000);
  afterAll(async () => t?.close());

  it('has a visibility case for every coaching route', () => {
    const routes = registeredCoachingRoutes(t.app);
    expect(routes.length).toBeGreaterThan(0);
    const covered = new Set(cases.map((c) => c.route));
    expect(routes.filter((route) => !covered.has(route))).toEqual([]);
    expect(cases.map((c) => c.route).filter((route) => !routes.includes(route))).toEqual([]);
  });

  it('answers 403 to a signed-in user who is not in the coaching hierarchy', async () => {
    const response = await fixture.as('unlinkedStaff').get('/api/coaching/people');
    expect(response.statusCode).toBe(403);
    expect(response.json().error.message).toMatch(/not in the coaching hierarchy/);
  });

  for (const c of cases) {
    it(`${c.route}: ${c.proves}`, async () => {
      await c.check(fixture);
    }, 60_000);
  }
});
