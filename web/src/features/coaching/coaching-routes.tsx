import { lazy } from 'react';
import { Route, Routes } from 'react-router-dom';
import '@mantine/charts/styles.css';
import { NotFoundPage } from '../not-found/not-found-page';

// One chunk per page.
const TeamPage = lazy(() => import('./team/team-page').then((m) => ({ default: m.TeamPage })));
const AgentScorecardPage = lazy(() => import('./agents/agent-scorecard-page').then((m) => ({ default: m.AgentScorecardPage })));
const PeoplePage = lazy(() => import('./people/people-page').then((m) => ({ default: m.PeoplePage })));
const ImportsPage = lazy(() => import('./imports/imports-page').then((m) => ({ default: m.CoachingImportsPage })));
const SessionsPage = lazy(() => import('./sessions/sessions-page').then((m) => ({ default: m.SessionsPage })));
const SessionPage = lazy(() => import('./sessions/session-page').then((m) => ({ default: m.SessionPage })));
const NotesPage = lazy(() => import('./notes/notes-page').then((m) => ({ default: m.NotesPage })));
const ActionItemsPage = lazy(() => import('./action-items/action-items-page').then((m) => ({ default: m.ActionItemsPage })));
const PlansPage = lazy(() => import('./plans/plans-page').then((m) => ({ default: m.PlansPage })));
const PlanPage = lazy(() => import('./plans/plan-page').then((m) => ({ default: m.PlanPage })));
const EffectivenessPage = lazy(() => import('./effectiveness/effectiveness-page').then((m) => ({ default: m.EffectivenessPage })));

/** Everything under /coaching; mounted by the app as `coaching/*`. */
export function CoachingRoutes() {
  return (
    <Routes>
      <Route index element={<TeamPage />} />
      <Route path="agents/:id" element={<AgentScorecardPage />} />
      <Route path="people" element={<PeoplePage />} />
      <Route path="imports" element={<ImportsPage />} />
      <Route path="sessions" element={<SessionsPage />} />
      <Route path="sessions/:id" element={<SessionPage />} />
      <Route path="notes" element={<NotesPage />} />
      <Route path="action-items" element={<ActionItemsPage />} />
      <Route path="plans" element={<PlansPage />} />
      <Route path="plans/:id" element={<PlanPage />} />
      <Route path="effectiveness" element={<EffectivenessPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
