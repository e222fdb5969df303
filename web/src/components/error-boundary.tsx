import { Button, Center, Code, Stack, Text, Title } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';

type State = { error: Error | null };

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('Unhandled UI error', error, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <Center mih="60vh" p="xl">
        <Stack align="center" maw={560} gap="sm">
          <Title order={1} fz="xl">
            This page crashed
          </Title>
          <Text c="dimmed" ta="center" size="sm">
            Something unexpected happened while rendering. Reloading usually fixes it; if it keeps happening, send this message to your administrator.
          </Text>
          <Code block w="100%">
            {this.state.error.message}
          </Code>
          <Button onClick={() => window.location.reload()}>Reload</Button>
        </Stack>
      </Center>
    );
  }
}
