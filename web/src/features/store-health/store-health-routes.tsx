import { lazy } from 'react';
import { Route, Routes } from 'react-router-dom';
import '@mantine/charts/styles.css';
import './store-health.css';
import { NotFoundPage } from '../not-found/not-found-page';

// One chunk per page so the chain overview does not pay for the chart-heavy store and backtest pages.
const ChainOverviewPage = lazy(() => import('./overview/chain-overview-page').then((m) => ({ default: m.ChainOverviewPage })));
const StoresPage = lazy(() => import('./stores/stores-page').then((m) => ({ default: m.StoresPage })));
const StorePage = lazy(() => import('./store/store-page').then((m) => ({ default: m.StorePage })));
const AlertsPage = lazy(() => import('./alerts/alerts-page').then((m) => ({ default: m.AlertsPage })));
const TasksPage = lazy(() => import('./tasks/tasks-page').then((m) => ({ default: m.TasksPage })));
const KpisPage = lazy(() => import('./kpis/kpis-page').then((m) => ({ default: m.KpisPage })));
const EscalationRulesPage = lazy(() => import('./escalation-rules/escalation-rules-page').then((m) => ({ default: m.EscalationRulesPage })));
const CallScriptsPage = lazy(() => import('./call-scripts/call-scripts-page').then((m) => ({ default: m.CallScriptsPage })));
const BacktestPage = lazy(() => import('./backtest/backtest-page').then((m) => ({ default: m.BacktestPage })));
const ImportsPage = lazy(() => import('./imports/imports-page').then((m) => ({ default: m.ImportsPage })));

/** Everything under /store-health; mounted by the app as `store-health/*`. */
export function StoreHealthRoutes() {
  return (
    <Routes>
      <Route index element={<ChainOverviewPage />} />
      <Route path="stores" element={<StoresPage />} />
      <Route path="stores/:id" element={<StorePage />} />
      <Route path="alerts" element={<AlertsPage />} />
      <Route path="tasks" element={<TasksPage />} />
      <Route path="kpis" element={<KpisPage />} />
      <Route path="escalation-rules" element={<EscalationRulesPage />} />
      <Route path="call-scripts" element={<CallScriptsPage />} />
      <Route path="backtest" element={<BacktestPage />} />
      <Route path="imports" element={<ImportsPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
