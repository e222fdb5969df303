import { lazy } from 'react';
import { Route, Routes } from 'react-router-dom';
import '@mantine/charts/styles.css';
import './promotions.css';
import { NotFoundPage } from '../not-found/not-found-page';

// One chunk per page: the sales explorer does not pay for the builder, the comparison or the backtest.
const SalesExplorerPage = lazy(() => import('./sales/sales-explorer-page').then((m) => ({ default: m.SalesExplorerPage })));
const ImportsPage = lazy(() => import('./imports/imports-page').then((m) => ({ default: m.PromotionsImportsPage })));
const OpportunitiesPage = lazy(() => import('./opportunities/opportunities-page').then((m) => ({ default: m.OpportunitiesPage })));
const ScenariosPage = lazy(() => import('./scenarios/scenarios-page').then((m) => ({ default: m.ScenariosPage })));
const ScenarioBuilderPage = lazy(() => import('./scenarios/scenario-builder-page').then((m) => ({ default: m.ScenarioBuilderPage })));
const ComparisonPage = lazy(() => import('./comparison/comparison-page').then((m) => ({ default: m.ComparisonPage })));
const PostMortemsPage = lazy(() => import('./post-mortems/post-mortems-page').then((m) => ({ default: m.PostMortemsPage })));
const UpliftPage = lazy(() => import('./uplift/uplift-page').then((m) => ({ default: m.UpliftPage })));
const ValidationSettingsPage = lazy(() => import('./settings/validation-settings-page').then((m) => ({ default: m.ValidationSettingsPage })));
const DataPage = lazy(() => import('./data/data-page').then((m) => ({ default: m.PromotionsDataPage })));
const ForecastBacktestPage = lazy(() => import('./backtest/forecast-backtest-page').then((m) => ({ default: m.ForecastBacktestPage })));

/** Everything under /promotions; mounted by the app as `promotions/*`. */
export function PromotionsRoutes() {
  return (
    <Routes>
      <Route index element={<SalesExplorerPage />} />
      <Route path="imports" element={<ImportsPage />} />
      <Route path="data" element={<DataPage />} />
      <Route path="opportunities" element={<OpportunitiesPage />} />
      <Route path="scenarios" element={<ScenariosPage />} />
      <Route path="scenarios/new" element={<ScenarioBuilderPage />} />
      <Route path="scenarios/:id" element={<ScenarioBuilderPage />} />
      <Route path="comparison" element={<ComparisonPage />} />
      <Route path="post-mortems" element={<PostMortemsPage />} />
      <Route path="post-mortems/:scenarioId" element={<PostMortemsPage />} />
      <Route path="uplift" element={<UpliftPage />} />
      <Route path="backtest" element={<ForecastBacktestPage />} />
      <Route path="settings" element={<ValidationSettingsPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
