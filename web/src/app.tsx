import { MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { ErrorBoundary } from './components/error-boundary';
import { RequirePermission } from './components/require-permission';
import { ForgotPasswordPage } from './features/auth/forgot-password-page';
import { LoginPage } from './features/auth/login-page';
import { RequireAuth } from './features/auth/require-auth';
import { ResetPasswordPage } from './features/auth/reset-password-page';
import { NotFoundPage } from './features/not-found/not-found-page';
import { OverviewPage } from './features/overview/overview-page';
import { AppLayout } from './features/shell/app-layout';
import { queryClient } from './lib/query-client';
import { theme } from './theme';

const StoreHealthRoutes = lazy(() => import('./features/store-health/store-health-routes').then((m) => ({ default: m.StoreHealthRoutes })));
const CommercePage = lazy(() => import('./features/commerce/commerce-page').then((m) => ({ default: m.CommercePage })));
const PromotionsRoutes = lazy(() => import('./features/promotions/promotions-routes').then((m) => ({ default: m.PromotionsRoutes })));
const AgentOrgPage = lazy(() => import('./features/agent-org/agent-org-page').then((m) => ({ default: m.AgentOrgPage })));
const CoachingRoutes = lazy(() => import('./features/coaching/coaching-routes').then((m) => ({ default: m.CoachingRoutes })));
const UsersPage = lazy(() => import('./features/users/users-page').then((m) => ({ default: m.UsersPage })));
const TokensPage = lazy(() => import('./features/tokens/tokens-page').then((m) => ({ default: m.TokensPage })));
const AuditLogPage = lazy(() => import('./features/audit-log/audit-log-page').then((m) => ({ default: m.AuditLogPage })));
const JobsPage = lazy(() => import('./features/jobs/jobs-page').then((m) => ({ default: m.JobsPage })));

function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<OverviewPage />} />
        <Route path="store-health/*" element={<StoreHealthRoutes />} />
        <Route path="commerce" element={<CommercePage />} />
        <Route path="promotions/*" element={<PromotionsRoutes />} />
        <Route path="agent-org" element={<AgentOrgPage />} />
        <Route path="coaching/*" element={<CoachingRoutes />} />
        <Route
          path="admin/users"
          element={
            <RequirePermission permission="viewUsers">
              <UsersPage />
            </RequirePermission>
          }
        />
        <Route
          path="admin/tokens"
          element={
            <RequirePermission permission="manageTokens">
              <TokensPage />
            </RequirePermission>
          }
        />
        <Route
          path="admin/audit-log"
          element={
            <RequirePermission permission="viewAuditLog">
              <AuditLogPage />
            </RequirePermission>
          }
        />
        <Route
          path="admin/jobs"
          element={
            <RequirePermission permission="viewJobs">
              <JobsPage />
            </RequirePermission>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <DatesProvider settings={{ firstDayOfWeek: 1 }}>
        <Notifications position="top-right" limit={4} />
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <ErrorBoundary>
              <AppRoutes />
            </ErrorBoundary>
          </BrowserRouter>
        </QueryClientProvider>
      </DatesProvider>
    </MantineProvider>
  );
}
