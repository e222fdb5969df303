import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { IconArrowLeft, IconMailCheck } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api';
import { fieldErrorsFrom } from '../../lib/field-errors';
import { AuthLayout } from './auth-layout';
import { useRequestPasswordReset } from './session';

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const requestReset = useRequestPasswordReset();
  const { fields } = fieldErrorsFrom(requestReset.error, ['email'] as const);

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    requestReset.mutate(email.trim());
  };

  const backToLogin = (
    <Anchor component={Link} to="/login" size="sm">
      <IconArrowLeft size={14} style={{ verticalAlign: 'middle', marginRight: 4 }} />
      Back to sign in
    </Anchor>
  );

  if (requestReset.isSuccess) {
    return (
      <AuthLayout title="Check your inbox" footer={backToLogin}>
        <Alert color="teal" variant="light" icon={<IconMailCheck size={18} />} data-testid="reset-requested">
          If an account exists for <strong>{email.trim()}</strong>, we have sent a link to reset your password. The link expires soon, so use it right away.
        </Alert>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Reset your password" subtitle="Enter the email you sign in with and we will send you a reset link." footer={backToLogin}>
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="md">
          {requestReset.isError && !fields.email && (
            <Alert color="red" variant="light">
              {errorMessage(requestReset.error)}
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            placeholder="you@company.com"
            required
            autoFocus
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={fields.email}
            data-testid="forgot-email"
          />
          <Button type="submit" fullWidth loading={requestReset.isPending} disabled={!email.trim()} data-testid="forgot-submit">
            Send reset link
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
