import { Alert, Badge, Button, Grid, Group, Paper, Select, Stack, Table, Text, Textarea, Timeline, Tooltip, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy, IconEye, IconHistory, IconRestore } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { errorMessage } from '../../../api';
import { DateTimeText } from '../../../components/date-time-text';
import { fieldErrorsFrom } from '../../../lib/field-errors';
import type { CallScript, CallScriptGroup } from '../api-types';
import { useAlerts, useCreateCallScript, usePreviewCallScript, useStores } from '../queries';

/** The placeholders the server fills at call time; anything else is rejected when a script is saved. */
export const SCRIPT_VARIABLES: Record<string, string> = {
  store_name: 'Store name',
  manager_name: 'Name of the person called',
  kpi_name: 'Name of the KPI the alert is about',
  value: 'Latest value of the KPI, with its unit',
  baseline: 'Comparison value (baseline) of the KPI',
  variance_pct: 'Variance against the baseline, in percent',
  deadline: 'When the alert must be handled, in store time',
};

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]*)\s*\}\}/g;

function placeholdersOf(content: string): string[] {
  return [...new Set([...content.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''))];
}

export function ScriptEditor({ group, editable }: { group: CallScriptGroup; editable: boolean }) {
  const active = group.active;
  const [content, setContent] = useState(active?.scriptContent ?? '');
  const [viewing, setViewing] = useState<CallScript | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const createScript = useCreateCallScript();
  const used = placeholdersOf(content);
  const unknown = used.filter((name) => !(name in SCRIPT_VARIABLES));
  const changed = content.trim() !== (active?.scriptContent ?? '').trim();
  const errors = fieldErrorsFrom(createScript.error, ['scriptContent'] as const);

  const insert = (name: string) => {
    const element = textarea.current;
    const token = `{{${name}}}`;
    if (!element) {
      setContent((current) => current + token);
      return;
    }
    const start = element.selectionStart ?? content.length;
    const end = element.selectionEnd ?? content.length;
    const next = content.slice(0, start) + token + content.slice(end);
    setContent(next);
    requestAnimationFrame(() => {
      element.focus();
      element.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const handleSave = () =>
    createScript.mutate(
      {
        scriptType: group.scriptType,
        scriptContent: content.trim(),
        variables: Object.fromEntries(used.filter((name) => name in SCRIPT_VARIABLES).map((name) => [name, SCRIPT_VARIABLES[name] ?? name])),
      },
      { onSuccess: (script) => notifications.show({ color: 'green', message: `Saved version ${script.version}; new calls use it from now on.` }) },
    );

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Stack gap="sm">
          <Group justify="space-between" gap="xs">
            <Group gap="xs">
              <Text size="sm" fw={650}>
                {active ? `Version ${active.version}` : 'No script yet'}
              </Text>
              {active && (
                <Badge size="sm" color="green" variant="light" radius="sm" tt="none">
                  Active
                </Badge>
              )}
              {changed && (
                <Badge size="sm" color="orange" variant="light" radius="sm" tt="none">
                  Unsaved changes
                </Badge>
              )}
            </Group>
            {active && (
              <Text size="xs" c="dimmed">
                {active.createdBy ? `${active.createdBy}, ` : ''}
                <DateTimeText value={active.createdAt} relative size="xs" c="dimmed" />
              </Text>
            )}
          </Group>
          <Textarea
            ref={textarea}
            aria-label="Script"
            autosize
            minRows={7}
            maxRows={18}
            readOnly={!editable}
            value={content}
            onChange={(event) => setContent(event.currentTarget.value)}
            error={errors.fields.scriptContent}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13, lineHeight: 1.6 } }}
            data-testid="sh-script-content"
          />
          {editable && (
            <Group gap={6}>
              <Text size="xs" c="dimmed">
                Insert:
              </Text>
              {Object.entries(SCRIPT_VARIABLES).map(([name, description]) => (
                <Tooltip key={name} label={description} withArrow openDelay={200}>
                  <UnstyledButton onClick={() => insert(name)} aria-label={`Insert ${name}`}>
                    <Badge
                      size="sm"
                      variant={used.includes(name) ? 'light' : 'outline'}
                      color="indigo"
                      radius="sm"
                      tt="none"
                      ff="monospace"
                      style={{ cursor: 'pointer' }}
                    >
                      {`{{${name}}}`}
                    </Badge>
                  </UnstyledButton>
                </Tooltip>
              ))}
            </Group>
          )}
          {unknown.length > 0 && (
            <Alert color="orange" variant="light" p="xs">
              <Text size="xs">
                Unknown variable{unknown.length > 1 ? 's' : ''}: {unknown.map((name) => `{{${name}}}`).join(', ')}. The server rejects scripts with these.
              </Text>
            </Alert>
          )}
          {createScript.isError && !errors.fields.scriptContent && (
            <Alert color="red" variant="light" p="xs">
              {errors.other.length > 0 ? errors.other.join(' · ') : errorMessage(createScript.error)}
            </Alert>
          )}
          {editable && (
            <Group justify="flex-end" gap="xs">
              <Button variant="default" disabled={!changed} onClick={() => setContent(active?.scriptContent ?? '')}>
                Discard changes
              </Button>
              <Button
                leftSection={<IconDeviceFloppy size={16} />}
                disabled={!changed || content.trim().length < 10 || unknown.length > 0}
                loading={createScript.isPending}
                onClick={handleSave}
                data-testid="sh-script-save"
              >
                Save as version {(group.history[0]?.version ?? 0) + 1}
              </Button>
            </Group>
          )}
          <VersionHistory
            history={group.history}
            viewing={viewing}
            onView={(script) => setViewing(viewing?.id === script.id ? null : script)}
            onRestore={editable ? (script) => setContent(script.scriptContent) : undefined}
          />
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <PreviewPanel script={active} dirty={changed} />
      </Grid.Col>
    </Grid>
  );
}

function VersionHistory({
  history,
  viewing,
  onView,
  onRestore,
}: {
  history: CallScript[];
  viewing: CallScript | null;
  onView: (script: CallScript) => void;
  onRestore?: (script: CallScript) => void;
}) {
  if (history.length === 0) return null;
  return (
    <Stack gap="xs" mt="md">
      <Group gap={6}>
        <IconHistory size={16} color="var(--mantine-color-gray-6)" />
        <Text size="sm" fw={650}>
          History
        </Text>
        <Text size="xs" c="dimmed">
          {history.length} version{history.length === 1 ? '' : 's'}
        </Text>
      </Group>
      <Timeline bulletSize={12} lineWidth={2} data-testid="sh-script-history">
        {history.map((script) => (
          <Timeline.Item
            key={script.id}
            color={script.isActive ? 'green' : 'gray'}
            title={
              <Group gap={6} justify="space-between" wrap="nowrap">
                <Group gap={6}>
                  <Text size="sm" fw={600}>
                    Version {script.version}
                  </Text>
                  {script.isActive && (
                    <Badge size="xs" color="green" variant="light" radius="sm" tt="none">
                      active
                    </Badge>
                  )}
                  <Text size="xs" c="dimmed">
                    {script.createdBy ? `${script.createdBy} · ` : ''}
                    <DateTimeText value={script.createdAt} size="xs" c="dimmed" />
                  </Text>
                </Group>
                <Group gap={2} wrap="nowrap">
                  <Button size="compact-xs" variant="subtle" color="gray" onClick={() => onView(script)}>
                    {viewing?.id === script.id ? 'Hide' : 'View'}
                  </Button>
                  {onRestore && !script.isActive && (
                    <Button size="compact-xs" variant="subtle" leftSection={<IconRestore size={12} />} onClick={() => onRestore(script)}>
                      Load
                    </Button>
                  )}
                </Group>
              </Group>
            }
          >
            {viewing?.id === script.id && (
              <Paper bg="gray.0" p="xs" radius="sm" mt={4}>
                <Text size="xs" ff="monospace" style={{ whiteSpace: 'pre-wrap' }}>
                  {script.scriptContent}
                </Text>
              </Paper>
            )}
          </Timeline.Item>
        ))}
      </Timeline>
    </Stack>
  );
}

/** Renders the saved active version for a real store (and optionally one of its alerts) through the server. */
function PreviewPanel({ script, dirty }: { script: CallScript | null; dirty: boolean }) {
  const [storeSearch, setStoreSearch] = useState('');
  const [selected, setSelected] = useState<{ value: string; label: string } | null>(null);
  // Once a store is picked the search box shows its label; that label is not a search.
  const [q] = useDebouncedValue(selected && storeSearch === selected.label ? '' : storeSearch.trim(), 250);
  const [alertId, setAlertId] = useState<string | null>(null);
  const storeId = selected?.value ?? null;
  const stores = useStores({ q: q || undefined, limit: 50 });
  const alerts = useAlerts({ storeId: storeId ?? undefined, limit: 50 }, { enabled: Boolean(storeId) });
  const preview = usePreviewCallScript();
  const found = (stores.data?.data ?? []).map((store) => ({ value: store.id, label: `${store.storeCode} · ${store.name}` }));
  const storeOptions = selected && !found.some((option) => option.value === selected.value) ? [selected, ...found] : found;

  const run = () => script && preview.mutate({ scriptId: script.id, storeId, alertId });

  return (
    <Paper withBorder radius="md" p="md" bg="gray.0" h="100%">
      <Stack gap="sm">
        <Group gap={6}>
          <IconEye size={16} color="var(--mantine-color-indigo-6)" />
          <Text size="sm" fw={650}>
            Preview
          </Text>
        </Group>
        <Text size="xs" c="dimmed">
          Fill the variables from a real store and, optionally, one of its alerts. Without a store the server uses sample values.
        </Text>
        <Select
          label="Store"
          placeholder="Sample values"
          searchable
          clearable
          data={storeOptions}
          value={storeId}
          onChange={(value, option) => {
            setSelected(value && option ? { value, label: option.label } : null);
            setAlertId(null);
          }}
          searchValue={storeSearch}
          onSearchChange={setStoreSearch}
          nothingFoundMessage={stores.isFetching ? 'Searching…' : 'No store matches'}
          data-testid="sh-preview-store"
        />
        <Select
          label="Alert"
          placeholder={storeId ? 'Latest values of the store' : 'Pick a store first'}
          clearable
          disabled={!storeId}
          data={(alerts.data?.data ?? []).map((alert) => ({ value: alert.id, label: `${alert.severity.toUpperCase()} · ${alert.title}` }))}
          value={alertId}
          onChange={setAlertId}
        />
        <Button onClick={run} loading={preview.isPending} disabled={!script} variant="light" leftSection={<IconEye size={16} />} data-testid="sh-preview-run">
          Preview version {script?.version ?? ''}
        </Button>
        {dirty && (
          <Text size="xs" c="orange.8">
            The preview shows the saved version; save to preview your edits.
          </Text>
        )}
        {preview.isError && (
          <Alert color="red" variant="light" p="xs">
            {errorMessage(preview.error)}
          </Alert>
        )}
        {preview.data && (
          <Stack gap="xs" data-testid="sh-preview-result">
            <Paper radius="lg" p="md" withBorder style={{ borderTopLeftRadius: 4 }}>
              <Text size="sm" lh={1.6} style={{ whiteSpace: 'pre-wrap' }}>
                {preview.data.text}
              </Text>
            </Paper>
            {preview.data.values && Object.keys(preview.data.values).length > 0 && (
              <Table fz="xs" verticalSpacing={4} withRowBorders={false}>
                <Table.Tbody>
                  {Object.entries(preview.data.values).map(([name, value]) => (
                    <Table.Tr key={name}>
                      <Table.Td c="dimmed" ff="monospace" w={130}>{`{{${name}}}`}</Table.Td>
                      <Table.Td>
                        {value ?? (
                          <Text span size="xs" c="dimmed">
                            not available
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
