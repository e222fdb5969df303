import { Alert, Anchor, Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { IconAlertCircle, IconClockPause, IconLock } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../api';
import { fieldErrorsFrom } from '../../lib/field-errors';
import { safeNextPath } from '../../lib/safe-next';
import { AuthLayout } from './auth-layout';
import { useLogin, useMeQuery } from './session';

const LOGIN_FIELDS = ['email', 'password'] as const;

function loginErrorIcon(code: string | undefined) {
  if (code === 'ACCOUNT_LOCKED') return <IconLock size={18} />;
  if (code === 'LOGIN_THROTTLED') return <IconClockPause size={18} />;
  return <IconAlertCircle size={18} />;
}

export function LoginPage() {
  const [searchParams] = useSearchParams();
  const next = safeNextPath(searchParams.get('next'));
  const navigate = useNavigate();
  const meQuery = useMeQuery();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitted, setSubmitted] = useState(false);

  if (meQuery.data) return <Navigate to={next} replace />;

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!email.trim() || !password) return;
    login.mutate({ email: email.trim(), password }, { onSuccess: () => navigate(next, { replace: true }) });
  };

  const error = login.error;
  const { fields } = fieldErrorsFrom(error, LOGIN_FIELDS);
  const code = isApiError(error) ? error.code : undefined;
  const hasFieldErrors = Object.keys(fields).length > 0;

  return (
    <AuthLayout title="Sign in to RetailOps" subtitle="Welcome back. Use your work email to continue.">
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="md">
          {error && !hasFieldErrors && (
            <Alert color={code === 'INVALID_CREDENTIALS' ? 'red' : 'orange'} variant="light" icon={loginErrorIcon(code)} data-testid="login-error">
              {error.message}
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            placeholder="you@company.com"
            required
            autoFocus
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={fields.email ?? (submitted && !email.trim() ? 'Enter your email.' : undefined)}
            data-testid="login-email"
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            placeholder="Your password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={fields.password ?? (submitted && !password ? 'Enter your password.' : undefined)}
            data-testid="login-password"
          />
          <Group justify="flex-end" mt={-6}>
            <Anchor component={Link} to="/forgot-password" size="sm" data-testid="forgot-password-link">
              Forgot password?
            </Anchor>
          </Group>
          <Button type="submit" fullWidth size="md" loading={login.isPending} data-testid="login-submit">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
