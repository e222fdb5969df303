import { Alert, Anchor, Button, PasswordInput, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../api';
import { fieldErrorsFrom } from '../../lib/field-errors';
import { AuthLayout } from './auth-layout';
import { useConfirmPasswordReset } from './session';

const MIN_PASSWORD_LENGTH = 8;

export function ResetPasswordPage() {
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token') ?? '';
  const navigate = useNavigate();
  const confirmReset = useConfirmPasswordReset();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [touched, setTouched] = useState(false);

  const { fields, other } = fieldErrorsFrom(confirmReset.error, ['password', 'token'] as const);
  const tooShort = password.length > 0 && password.length < MIN_PASSWORD_LENGTH;
  const mismatch = touched && confirmation !== password;

  const backToLogin = (
    <Anchor component={Link} to="/login" size="sm">
      Back to sign in
    </Anchor>
  );

  if (!token) {
    return (
      <AuthLayout title="Reset link is incomplete" footer={backToLogin}>
        <Stack>
          <Alert color="orange" variant="light" icon={<IconAlertCircle size={18} />}>
            This page needs the token from your reset email. Open the link from the email again, or request a new one.
          </Alert>
          <Button component={Link} to="/forgot-password" variant="light">
            Request a new link
          </Button>
        </Stack>
      </AuthLayout>
    );
  }

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (password !== confirmation || password.length < MIN_PASSWORD_LENGTH) return;
    confirmReset.mutate(
      { token, password },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', title: 'Password updated', message: 'Sign in with your new password.' });
          navigate('/login', { replace: true });
        },
      },
    );
  };

  const generalError = confirmReset.isError && !fields.password ? (fields.token ?? (other[0] || errorMessage(confirmReset.error))) : null;

  return (
    <AuthLayout title="Choose a new password" subtitle="Pick something long and unique. You will use it to sign in from now on." footer={backToLogin}>
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="md">
          {generalError && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
              {generalError}{' '}
              <Anchor component={Link} to="/forgot-password" size="sm">
                Request a new link
              </Anchor>
            </Alert>
          )}
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            required
            autoFocus
            value={password}
            description={`At least ${MIN_PASSWORD_LENGTH} characters.`}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={fields.password ?? (tooShort && touched ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : undefined)}
            data-testid="reset-password"
          />
          <PasswordInput
            label="Confirm new password"
            autoComplete="new-password"
            required
            value={confirmation}
            onChange={(event) => setConfirmation(event.currentTarget.value)}
            onBlur={() => setTouched(true)}
            error={mismatch ? 'Passwords do not match.' : undefined}
            data-testid="reset-password-confirm"
          />
          <Button type="submit" fullWidth loading={confirmReset.isPending} disabled={!password || !confirmation} data-testid="reset-submit">
            Set new password
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
