import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { ErrorState } from '../../components/error-state';
import { loginPathFor } from '../../lib/safe-next';
import { SessionContext, useMeQuery } from './session';

export function RequireAuth({ children }: { children: ReactNode }) {
  const location = useLocation();
  const meQuery = useMeQuery();

  if (meQuery.isPending) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
  if (meQuery.isError && meQuery.data === undefined) {
    return (
      <Center h="100vh" p="md">
        <ErrorState error={meQuery.error} title="Could not load your session" onRetry={() => meQuery.refetch()} />
      </Center>
    );
  }
  if (!meQuery.data) return <Navigate to={loginPathFor(location)} replace />;

  return <SessionContext.Provider value={meQuery.data}>{children}</SessionContext.Provider>;
}
