import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Code,
  FileButton,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Tooltip,
} from '@mantine/core';
import { IconAlertTriangle, IconArrowBackUp, IconCopy, IconFileSpreadsheet, IconLock, IconPlayerPlay, IconUpload } from '@tabler/icons-react';
import { type DragEvent, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, errorMessage, isApiError } from '../../../api';
import { DateTimeText } from '../../../components/date-time-text';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { useSession } from '../../auth/session';
import type { DuplicateImportDetails, ImportLog, ImportOptions, ImportPreview, ImportResult, ImportRowError, ImportShape } from '../api-types';
import { itemsOf, useCoachingMe, useImportPreview, useImports, useStartImport } from '../queries';
import { formatBytes, formatCount, formatDay, formatMetric, metricMeta } from '../shared/format';
import { Panel } from '../shared/ui';
import { ImportDetailModal, ImportErrorsTable, ImportStatusBadge } from './import-parts';

const ACCEPT = '.csv,.xlsx,.xls,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel';

const SHAPE_LABELS: Record<ImportShape, string> = {
  'per-call': 'Per-call export → aggregated into daily metrics per agent',
  daily: 'Daily metrics, one row per agent and day',
};

/** "call_id" → "Call id"; metric fields by their label. */
function fieldLabel(field: string): string {
  const meta = metricMeta(field);
  const text = meta.label === field.replace(/_/g, ' ') ? field.replace(/_/g, ' ') : meta.label;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function duplicateOf(error: unknown): DuplicateImportDetails | null {
  if (!isApiError(error, 409)) return null;
  const details = (error as ApiError).details as Partial<DuplicateImportDetails> | undefined;
  return details && typeof details.importId === 'string' ? (details as DuplicateImportDetails) : null;
}

function rowErrorsOf(error: unknown): ImportRowError[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return [];
  return error.details.filter(
    (item): item is ImportRowError => typeof item === 'object' && item !== null && typeof (item as ImportRowError).message === 'string',
  );
}

export function CoachingImportsPage() {
  const me = useCoachingMe();
  const session = useSession();
  // The coaching role decides; without one (an org admin not in the hierarchy) the organization role does.
  const allowed = me.data ? me.data.seesEverything || me.data.role === 'MANAGER' : session.role === 'admin' || session.role === 'manager';
  const canCreateAgents = me.data ? me.data.seesEverything : session.role === 'admin';
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [sheet, setSheet] = useState<string | null>(null);
  const [aggregate, setAggregate] = useState<'auto' | ImportShape>('auto');
  const [dateOrder, setDateOrder] = useState<string>('auto');
  const [partialSuccess, setPartialSuccess] = useState(false);
  const [createMissingAgents, setCreateMissingAgents] = useState(false);
  const [openImport, setOpenImport] = useState<string | null>(null);
  const preview = useImportPreview();
  const start = useStartImport();
  const imports = useImports();

  const options = (overrides: Partial<ImportOptions> = {}): ImportOptions => {
    const out: ImportOptions = {};
    const map = overrides.mapping ?? mapping;
    if (Object.keys(map).length > 0) out.mapping = map;
    const chosenSheet = overrides.sheet ?? sheet;
    if (chosenSheet) out.sheet = chosenSheet;
    if (aggregate !== 'auto') out.aggregate = aggregate;
    if (dateOrder === 'dmy' || dateOrder === 'mdy') out.dateOrder = dateOrder;
    return { ...out, ...overrides };
  };

  const runPreview = (next: File, overrides: Partial<ImportOptions> = {}) => preview.mutate({ file: next, options: options(overrides) });

  // The detected shape or date order changes what the preview reads.
  useEffect(() => {
    if (file) runPreview(file);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [aggregate, dateOrder]);

  const choose = (next: File | null) => {
    if (!next) return;
    setFile(next);
    setMapping({});
    setSheet(null);
    start.reset();
    preview.mutate({ file: next, options: { ...(aggregate !== 'auto' ? { aggregate } : {}) } });
  };

  const handleDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    if (allowed) choose(event.dataTransfer.files?.[0] ?? null);
  };

  const changeMapping = (field: string, letter: string | null) => {
    const current: Record<string, string> = { ...mapping };
    // Start from what the preview detected so one change keeps the rest.
    for (const [key, source] of Object.entries(preview.data?.mapping ?? {})) if (!(key in current)) current[key] = source.letter;
    if (letter) current[field] = letter;
    else delete current[field];
    setMapping(current);
    if (file) runPreview(file, { mapping: current });
  };

  const startImport = () => {
    if (!file) return;
    const chosen = options();
    if (partialSuccess) chosen.partialSuccess = true;
    if (createMissingAgents && canCreateAgents) chosen.createMissingAgents = true;
    start.mutate({ file, options: chosen });
  };

  const duplicate = duplicateOf(start.error);
  const data = preview.data;

  return (
    <Stack gap="lg" data-testid="co-imports-page">
      <PageHeader
        title="Metric imports"
        description="Upload a CSV or XLSX export of calls (one row per call, aggregated into each agent's day) or of daily agent metrics. Check the detected mapping, then import: every import is logged, the same file is never imported twice, and an import can be rolled back."
      />
      {!allowed && !me.isPending && (
        <Alert color="orange" variant="light" icon={<IconLock size={18} />}>
          Managers and admins import metrics. Ask yours to import the file.
        </Alert>
      )}

      <Paper
        radius="md"
        p="lg"
        onDragOver={(event) => {
          if (!allowed) return;
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={handleDrop}
        style={{
          border: `2px dashed var(--mantine-color-${dragging ? 'indigo-5' : 'gray-3'})`,
          background: dragging ? 'var(--mantine-color-indigo-0)' : 'var(--mantine-color-gray-0)',
        }}
        data-testid="co-import-dropzone"
      >
        <Group justify="space-between" gap="md">
          <Group gap="sm" wrap="nowrap">
            <ThemeIcon size={40} radius="md" variant="light" color={file ? 'indigo' : 'gray'}>
              <IconFileSpreadsheet size={22} />
            </ThemeIcon>
            <Stack gap={0}>
              <Text size="sm" fw={600}>
                {file ? `${file.name} · ${formatBytes(file.size)}` : 'Drop a metrics file here'}
              </Text>
              <Text size="xs" c="dimmed">
                .csv or .xlsx — per-call exports (call id, agent, date, answered, resolved, talk time, rating) or daily agent metrics
              </Text>
            </Stack>
          </Group>
          <FileButton onChange={choose} accept={ACCEPT} disabled={!allowed}>
            {(props) => (
              <Button variant="default" leftSection={<IconUpload size={16} />} {...props} data-testid="co-import-choose">
                {file ? 'Choose another file' : 'Choose file'}
              </Button>
            )}
          </FileButton>
        </Group>
      </Paper>

      {preview.isPending && !data && <Skeleton h={280} radius="md" />}
      {preview.isError && <ErrorState error={preview.error} title={`Could not read ${file?.name ?? 'the file'}`} />}
      {data && file && (
        <PreviewPanel
          preview={data}
          loading={preview.isPending}
          onMap={changeMapping}
          sheet={sheet}
          onSheet={(value) => {
            setSheet(value);
            setMapping({});
            runPreview(file, { sheet: value ?? undefined, mapping: {} });
          }}
        />
      )}

      {data && file && (
        <Panel title="Options" testId="co-import-options">
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                Rows are
              </Text>
              <SegmentedControl
                value={aggregate}
                onChange={(value) => setAggregate(value as 'auto' | ImportShape)}
                data={[
                  { value: 'auto', label: `Detected (${data.shape === 'per-call' ? 'per call' : 'daily'})` },
                  { value: 'per-call', label: 'One per call' },
                  { value: 'daily', label: 'One per agent-day' },
                ]}
                data-testid="co-import-aggregate"
              />
              <Select
                mt="xs"
                size="xs"
                w={260}
                label="Dates like 03/04/2025 are"
                data={[
                  { value: 'auto', label: 'Detected from the file' },
                  { value: 'dmy', label: 'Day / month / year' },
                  { value: 'mdy', label: 'Month / day / year' },
                ]}
                value={dateOrder}
                allowDeselect={false}
                onChange={(value) => setDateOrder(value ?? 'auto')}
              />
            </Stack>
            <Stack gap="xs">
              <Checkbox
                label="Partial success: write the good rows even when some rows have errors"
                description="Without it, one bad row means nothing is written."
                checked={partialSuccess}
                onChange={(event) => setPartialSuccess(event.currentTarget.checked)}
                data-testid="co-import-partial"
              />
              <Tooltip label="Only admins create agents during an import" disabled={canCreateAgents} withArrow>
                <Checkbox
                  label="Create agents the file names but the hierarchy does not have"
                  description="They start without a team leader; link them under People."
                  checked={createMissingAgents}
                  disabled={!canCreateAgents}
                  onChange={(event) => setCreateMissingAgents(event.currentTarget.checked)}
                  data-testid="co-import-create-agents"
                />
              </Tooltip>
            </Stack>
          </SimpleGrid>
          <Group justify="space-between" mt="md">
            <Text size="sm" c={data.problems.length > 0 ? 'red.7' : 'dimmed'}>
              {data.problems.length > 0
                ? 'Fix the problems above (or the mapping) first.'
                : `${formatCount(data.rowCount)} row${data.rowCount === 1 ? '' : 's'} → about ${formatCount(data.agentDays)} agent-day${data.agentDays === 1 ? '' : 's'}`}
            </Text>
            <Button
              leftSection={<IconPlayerPlay size={16} />}
              disabled={!allowed || preview.isPending || data.problems.length > 0}
              loading={start.isPending}
              onClick={startImport}
              data-testid="co-import-start"
            >
              Import
            </Button>
          </Group>
        </Panel>
      )}

      {duplicate && (
        <Alert color="orange" variant="light" icon={<IconCopy size={18} />} title="This file was already imported" data-testid="co-import-duplicate">
          <Stack gap={4}>
            <Text size="sm">{errorMessage(start.error)}</Text>
            <Group gap="xs">
              <Button size="xs" variant="light" color="orange" onClick={() => setOpenImport(duplicate.importId)} data-testid="co-import-duplicate-open">
                Show the earlier import ({duplicate.fileName})
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {start.isError && !duplicate && (
        <Stack gap="sm">
          <ErrorState error={start.error} title="The import was refused" />
          {rowErrorsOf(start.error).length > 0 && <ImportErrorsTable errors={rowErrorsOf(start.error)} />}
        </Stack>
      )}
      {start.data && <ResultPanel result={start.data} onOpen={() => setOpenImport(start.data.id)} />}

      <Panel
        title="Import history"
        description="Every import of this organization, newest first. Roll back to restore the values an import replaced."
        padding={0}
        testId="co-import-history"
      >
        <History
          logs={itemsOf<ImportLog>(imports.data)}
          loading={imports.isPending}
          error={imports.error}
          onOpen={setOpenImport}
          highlight={duplicate?.importId ?? null}
        />
      </Panel>

      <ImportDetailModal id={openImport} onClose={() => setOpenImport(null)} onOpen={setOpenImport} />
    </Stack>
  );
}

function PreviewPanel({
  preview,
  loading,
  onMap,
  sheet,
  onSheet,
}: {
  preview: ImportPreview;
  loading: boolean;
  onMap: (field: string, letter: string | null) => void;
  sheet: string | null;
  onSheet: (sheet: string | null) => void;
}) {
  const [allFields, setAllFields] = useState(false);
  const headerOptions = preview.headers.map((h) => ({ value: h.letter, label: `${h.letter} · ${h.header}` }));
  // Who and which day are always shown; the other fields when the file has them (or when asked for all).
  const shownFields = allFields ? preview.fields : preview.fields.filter((f) => preview.mapping[f.field] || ['agent', 'date', 'call_id'].includes(f.field));
  const hiddenFields = preview.fields.length - shownFields.length;
  const visibleSheets = preview.sheets.filter((s) => !s.chart);
  return (
    <Panel
      title={`Preview of ${preview.fileName}`}
      description={`${formatCount(preview.rowCount)} data rows below header row ${preview.headerRow}. Nothing is written until you import.`}
      testId="co-import-preview"
      actions={
        visibleSheets.length > 1 ? (
          <Select
            size="xs"
            w={220}
            label="Sheet"
            data={visibleSheets.map((s) => ({ value: s.name, label: `${s.name} (${s.rows} rows)` }))}
            value={sheet ?? preview.sheet}
            allowDeselect={false}
            onChange={onSheet}
          />
        ) : undefined
      }
    >
      <Stack gap="md" style={{ opacity: loading ? 0.6 : 1 }}>
        <Group gap="sm">
          <Badge
            size="lg"
            variant="light"
            color={preview.shape === 'per-call' ? 'grape' : 'blue'}
            tt="none"
            data-testid="co-import-shape"
            data-shape={preview.shape}
          >
            {SHAPE_LABELS[preview.shape]}
          </Badge>
          <Text size="xs" c="dimmed">
            {preview.shapeReason}
          </Text>
        </Group>
        {preview.problems.length > 0 && (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title="The file cannot be imported like this"
            data-testid="co-import-problems"
          >
            <Stack gap={2}>
              {preview.problems.map((problem) => (
                <Text key={problem} size="sm">
                  {problem}
                </Text>
              ))}
            </Stack>
          </Alert>
        )}
        <div>
          <Text size="sm" fw={600} mb={6}>
            Column mapping
          </Text>
          <SimpleGrid cols={{ base: 2, md: 3, lg: 4 }} spacing="xs" data-testid="co-import-mapping">
            {shownFields.map((field) => (
              <Select
                key={field.field}
                size="xs"
                label={fieldLabel(field.field)}
                description={field.description !== field.field ? field.description : undefined}
                placeholder="not in the file"
                data={headerOptions}
                value={preview.mapping[field.field]?.letter ?? null}
                onChange={(value) => onMap(field.field, value)}
                clearable
                data-testid={`co-map-${field.field}`}
              />
            ))}
          </SimpleGrid>
          {(hiddenFields > 0 || allFields) && (
            <Button size="compact-xs" variant="subtle" mt={6} onClick={() => setAllFields(!allFields)} data-testid="co-import-all-fields">
              {allFields ? 'Show only the mapped fields' : `Map ${hiddenFields} more field${hiddenFields === 1 ? '' : 's'} the file does not name`}
            </Button>
          )}
        </div>
        {preview.notes.length > 0 && (
          <Stack gap={2}>
            {preview.notes.map((note) => (
              <Text key={note} size="xs" c="dimmed">
                · {note}
              </Text>
            ))}
          </Stack>
        )}
        <div>
          <Text size="sm" fw={600} mb={6}>
            First rows of the file
          </Text>
          <Table.ScrollContainer minWidth={640} type="native">
            <Table fz="xs" verticalSpacing={4} withTableBorder striped data-testid="co-import-sample">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={50}>Row</Table.Th>
                  {preview.headers.map((h) => (
                    <Table.Th key={h.letter}>
                      <Text size="xs" c="dimmed" span>
                        {h.letter}
                      </Text>{' '}
                      {h.header}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.sampleRows.map((row) => (
                  <Table.Tr key={row.row}>
                    <Table.Td c="dimmed">{row.row}</Table.Td>
                    {preview.headers.map((h, index) => (
                      <Table.Td key={h.letter}>{row.cells[index] ?? ''}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </div>
        {preview.shape === 'per-call' && preview.sampleDays.length > 0 && <SampleDays preview={preview} />}
        {preview.rowErrorCount > 0 && (
          <ImportErrorsTable
            errors={preview.rowErrors}
            total={preview.rowErrorCount}
            title={`${formatCount(preview.rowErrorCount)} row${preview.rowErrorCount === 1 ? '' : 's'} would fail`}
            hint="Fix them in the file, or tick partial success to import the other rows."
          />
        )}
      </Stack>
    </Panel>
  );
}

function SampleDays({ preview }: { preview: ImportPreview }) {
  const keys = Object.keys(preview.sampleDays[0]?.values ?? {});
  return (
    <div>
      <Text size="sm" fw={600} mb={6}>
        What the first agent-days become
      </Text>
      <Table.ScrollContainer minWidth={640} type="native">
        <Table fz="xs" verticalSpacing={4} withTableBorder data-testid="co-import-sample-days">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Agent</Table.Th>
              <Table.Th>Date</Table.Th>
              <Table.Th ta="right">Calls</Table.Th>
              {keys.map((key) => (
                <Table.Th key={key} ta="right">
                  {metricMeta(key).label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.sampleDays.map((day) => (
              <Table.Tr key={`${day.agent}|${day.date}`}>
                <Table.Td>{day.agent}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{day.date}</Table.Td>
                <Table.Td ta="right">{day.calls}</Table.Td>
                {keys.map((key) => (
                  <Table.Td key={key} ta="right" className="co-num">
                    {formatMetric(key, day.values[key])}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </div>
  );
}

function ResultPanel({ result, onOpen }: { result: ImportResult; onOpen: () => void }) {
  const failed = result.status === 'FAILED';
  return (
    <Stack gap="sm" data-testid="co-import-result" data-status={result.status}>
      <Paper
        withBorder
        radius="md"
        p="md"
        style={{ borderLeft: `4px solid var(--mantine-color-${failed ? 'red' : result.status === 'PARTIAL_SUCCESS' ? 'yellow' : 'teal'}-6)` }}
      >
        <Group justify="space-between" mb="xs">
          <Group gap="sm">
            <Text fw={700}>{failed ? 'Nothing was imported' : result.status === 'PARTIAL_SUCCESS' ? 'Imported, with rows left out' : 'Imported'}</Text>
            <ImportStatusBadge status={result.status} />
          </Group>
          <Button size="compact-sm" variant="subtle" onClick={onOpen}>
            Details
          </Button>
        </Group>
        <Group gap="xl">
          <Figure label="rows in the file" value={formatCount(result.totalRows)} />
          <Figure label="rows written" value={formatCount(result.successfulRows)} testId="co-import-successful" />
          <Figure label="rows failed" value={formatCount(result.failedRows)} testId="co-import-failed" />
          {!failed && (
            <>
              <Figure label="agent-days new" value={formatCount(result.metricRows.inserted)} testId="co-import-inserted" />
              <Figure label="agent-days updated" value={formatCount(result.metricRows.updated)} />
              <Figure label="unchanged" value={formatCount(result.metricRows.unchanged)} />
            </>
          )}
        </Group>
        {result.createdAgents.length > 0 && (
          <Text size="sm" mt="sm">
            Created {result.createdAgents.length} agent{result.createdAgents.length === 1 ? '' : 's'}:{' '}
            {result.createdAgents.slice(0, 12).map((agent, index) => (
              <span key={agent.id}>
                {index > 0 ? ', ' : ''}
                <Anchor component={Link} to={`/coaching/agents/${agent.id}`} size="sm">
                  {agent.name}
                </Anchor>
              </span>
            ))}
            {result.createdAgents.length > 12 ? '…' : ''} — link them to a team leader under <Link to="/coaching/people">People</Link>.
          </Text>
        )}
        {result.errorSummary && (
          <Text size="sm" c={failed ? 'red.8' : 'dimmed'} mt="sm">
            {result.errorSummary}
          </Text>
        )}
        {!failed && result.affected && (
          <Text size="xs" c={result.recompute?.mode === 'failed' ? 'orange.8' : 'dimmed'} mt={4}>
            {result.recompute?.mode === 'failed'
              ? result.recompute.message
              : `History and trends ${result.recompute?.mode === 'ran' ? 'were recomputed' : 'are being recomputed'} for ${result.affected.agentIds.length} agent${result.affected.agentIds.length === 1 ? '' : 's'}, ${formatDay(result.affected.from)} – ${formatDay(result.affected.to)}.`}
          </Text>
        )}
      </Paper>
      {result.errorDetails.length > 0 && <ImportErrorsTable errors={result.errorDetails} total={result.failedRows ?? undefined} />}
    </Stack>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text fz={18} fw={750} className="co-num" data-testid={testId}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}

function History({
  logs,
  loading,
  error,
  onOpen,
  highlight,
}: {
  logs: ImportLog[];
  loading: boolean;
  error: unknown;
  onOpen: (id: string) => void;
  highlight: string | null;
}) {
  if (error) return <ErrorState error={error} title="Could not load the import history" />;
  if (loading) return <Skeleton h={120} m="md" />;
  if (logs.length === 0)
    return (
      <Text size="sm" c="dimmed" p="md" data-testid="co-import-history-empty">
        No imports yet. Choose a file above to import the first one.
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={880} type="native">
      <Table verticalSpacing={6} horizontalSpacing="md" fz="sm" highlightOnHover data-testid="co-import-history-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>File</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Rows</Table.Th>
            <Table.Th ta="right">Written</Table.Th>
            <Table.Th ta="right">Failed</Table.Th>
            <Table.Th>By</Table.Th>
            <Table.Th>When</Table.Th>
            <Table.Th ta="right">Took</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {logs.map((log) => (
            <Table.Tr key={log.id} data-testid="co-import-row" data-import-id={log.id} bg={log.id === highlight ? 'orange.0' : undefined}>
              <Table.Td>
                <Text size="sm" fw={600} truncate maw={260}>
                  {log.fileName}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatBytes(log.fileSizeBytes)}
                  {log.fileHash ? (
                    <>
                      {' · '}
                      <Code fz={10}>{log.fileHash.slice(0, 10)}</Code>
                    </>
                  ) : null}
                </Text>
              </Table.Td>
              <Table.Td>
                <ImportStatusBadge status={log.status} />
              </Table.Td>
              <Table.Td ta="right" className="co-num">
                {formatCount(log.totalRows)}
              </Table.Td>
              <Table.Td ta="right" className="co-num">
                {formatCount(log.successfulRows)}
              </Table.Td>
              <Table.Td ta="right" className="co-num" c={(log.failedRows ?? 0) > 0 ? 'red.7' : undefined}>
                {formatCount(log.failedRows)}
              </Table.Td>
              <Table.Td>{log.importedBy?.name ?? '—'}</Table.Td>
              <Table.Td>
                <DateTimeText value={log.startedAt} relative size="sm" />
              </Table.Td>
              <Table.Td ta="right" className="co-num">
                {log.processingTimeSeconds === null ? '—' : `${log.processingTimeSeconds} s`}
              </Table.Td>
              <Table.Td ta="right">
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  <Button size="compact-xs" variant="subtle" onClick={() => onOpen(log.id)} data-testid="co-import-details">
                    Details
                  </Button>
                  {(log.status === 'SUCCESS' || log.status === 'PARTIAL_SUCCESS') && log.rollbackAvailable && (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      leftSection={<IconArrowBackUp size={12} />}
                      onClick={() => onOpen(log.id)}
                      data-testid="co-import-rollback-open"
                    >
                      Roll back
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
