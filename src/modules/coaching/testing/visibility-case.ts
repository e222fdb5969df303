import type { HierarchyFixture } from './hierarchy-fixture.js';

/**
 * One route's hierarchy proof, run by visibility.test.ts against the shared fixture. Every coaching route must have
 * at least one case (the test fails on a route without one). A case asserts with vitest's `expect`: who may call it,
 * what each persona sees (agent: only themself; leader1: agent1/2/4; manager1: leader1's team; manager2: not
 * leader1's team; admin: everyone), and that organization B's people and an unlinked sign-in get 404 / 403.
 * Cases share one fixture, so a case creates what it changes and does not rely on another case's writes.
 */
export interface VisibilityCase {
  /** The route exactly as registered, e.g. 'GET /api/coaching/people/:id'. */
  route: string;
  /** One line: what the case proves. */
  proves: string;
  check(f: HierarchyFixture): Promise<void>;
}
