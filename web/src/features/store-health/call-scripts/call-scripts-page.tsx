import { Badge, Group, Paper, Skeleton, Stack, Tabs, Text } from '@mantine/core';
import { useSearchParams } from 'react-router-dom';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { useSession } from '../../auth/session';
import { type CallScript, type CallScriptGroup, SCRIPT_TYPES, type ScriptType } from '../api-types';
import { useCallScripts } from '../queries';
import { canManage, SCRIPT_TYPE_META } from '../shared/status';
import { StatusDot } from '../shared/status-ui';
import { ScriptEditor } from './script-editor';

/** Groups per type, tolerant of a flat list of versions as well as the documented `{data: [{scriptType, active, history}]}`. */
export function groupScripts(payload: unknown): Record<ScriptType, CallScriptGroup> {
  const versions = new Map<string, CallScript>();
  const actives = new Set<string>();
  const visit = (value: unknown, activeSlot = false) => {
    if (Array.isArray(value)) {
      value.forEach((item) => visit(item));
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (
      typeof record.id === 'string' &&
      typeof record.scriptType === 'string' &&
      typeof record.version === 'number' &&
      typeof record.scriptContent === 'string'
    ) {
      versions.set(record.id, record as unknown as CallScript);
      if (activeSlot) actives.add(record.id);
      return;
    }
    for (const [key, child] of Object.entries(record)) visit(child, key === 'active' || key === 'current' || key === 'latest');
  };
  visit(payload);
  const groups = {} as Record<ScriptType, CallScriptGroup>;
  for (const type of SCRIPT_TYPES) {
    const history = [...versions.values()].filter((script) => script.scriptType === type).sort((a, b) => b.version - a.version);
    const active = history.find((script) => actives.has(script.id)) ?? history.find((script) => script.isActive) ?? history[0] ?? null;
    groups[type] = { scriptType: type, active, history };
  }
  return groups;
}

export function CallScriptsPage() {
  const me = useSession();
  const scripts = useCallScripts();
  const [searchParams, setSearchParams] = useSearchParams();
  const type = (SCRIPT_TYPES as string[]).includes(searchParams.get('type') ?? '') ? (searchParams.get('type') as ScriptType) : 'red';
  const groups = scripts.data ? groupScripts(scripts.data) : null;

  return (
    <Stack gap="lg">
      <PageHeader
        title="Call scripts"
        description="What the AI assistant says when it calls a store. One script per alert colour; saving creates a new version and makes it active. {{variables}} are filled from the store and the alert at call time."
      />
      {scripts.isError && <ErrorState error={scripts.error} title="Could not load call scripts" onRetry={() => scripts.refetch()} />}
      {scripts.isPending && <Skeleton h={420} radius="md" />}
      {groups && (
        <Paper withBorder radius="md" data-testid="sh-scripts-editor">
          <Tabs value={type} onChange={(value) => value && setSearchParams({ type: value }, { replace: true })} keepMounted={false}>
            <Tabs.List px="md" pt="xs">
              {SCRIPT_TYPES.map((scriptType) => (
                <Tabs.Tab
                  key={scriptType}
                  value={scriptType}
                  leftSection={<StatusDot status={scriptType} />}
                  rightSection={
                    groups[scriptType].active ? (
                      <Badge size="xs" variant="light" color="gray" radius="sm">
                        v{groups[scriptType].active?.version}
                      </Badge>
                    ) : undefined
                  }
                  data-testid={`sh-script-tab-${scriptType}`}
                >
                  {SCRIPT_TYPE_META[scriptType].label} call
                </Tabs.Tab>
              ))}
            </Tabs.List>
            {SCRIPT_TYPES.map((scriptType) => (
              <Tabs.Panel key={scriptType} value={scriptType} p="md">
                <Group mb="md" gap={6}>
                  <Text size="sm" c="dimmed">
                    {SCRIPT_TYPE_META[scriptType].description}
                  </Text>
                </Group>
                <ScriptEditor key={`${scriptType}-${groups[scriptType].active?.id ?? 'none'}`} group={groups[scriptType]} editable={canManage(me.role)} />
              </Tabs.Panel>
            ))}
          </Tabs>
        </Paper>
      )}
    </Stack>
  );
}
