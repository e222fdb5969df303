import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import type { CreatedToken } from '../../api-types';

export function TokenRevealModal({ token, onClose }: { token: CreatedToken | null; onClose: () => void }) {
  return (
    <Modal opened={token !== null} onClose={onClose} title="Copy your new API token" centered size="lg" closeOnClickOutside={false} data-testid="token-reveal">
      {token && (
        <Stack gap="md">
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="This is the only time the token is shown">
            Store it in your secret manager now. RetailOps keeps only a hash, so it cannot be displayed again — if you lose it, revoke it and create a new one.
          </Alert>
          <Group gap="xs" wrap="nowrap" align="stretch">
            <Code block style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', fontSize: 13 }} data-testid="token-value">
              {token.token}
            </Code>
            <CopyButton value={token.token} timeout={2000}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy to clipboard'} withArrow>
                  <Button
                    variant={copied ? 'filled' : 'light'}
                    color={copied ? 'teal' : 'indigo'}
                    onClick={copy}
                    leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                    h="auto"
                    data-testid="copy-token"
                  >
                    {copied ? 'Copied' : 'Copy'}
                  </Button>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
          <Text size="sm" c="dimmed">
            Send it as <Code>Authorization: Bearer &lt;token&gt;</Code>. It acts with the <strong>{token.role}</strong> role in this organization.
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose} data-testid="token-reveal-done">
              I have stored the token
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
