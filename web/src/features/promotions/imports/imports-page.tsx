import { ChoiceCards } from '../../../components/choice-cards';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  FileButton,
  Group,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  ThemeIcon,
  UnstyledButton,
} from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconFileSpreadsheet, IconLock, IconPlayerPlay, IconUpload, IconX } from '@tabler/icons-react';
import { type DragEvent, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../../api';
import { DateTimeText } from '../../../components/date-time-text';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { useSession } from '../../auth/session';
import { IMPORT_KINDS, type ImportJob, type ImportKind, type ImportOptions, type ImportPreview, type ImportRowError } from '../api-types';
import { rowsOf, useImportJob, useImportJobs, useImportPreview, useStartImport } from '../queries';
import { canEdit, formatCount } from '../shared/format';
import { Panel } from '../shared/ui';
import { columnLetterOf, ImportErrorsTable, importErrorsOf } from './import-errors';

const ACCEPT =
  '.csv,.xlsx,.xlsb,.xls,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel.sheet.binary.macroEnabled.12';

type FieldMeta = { name: string; required: boolean; description?: string };

export const IMPORT_KIND_META: Record<ImportKind, { label: string; description: string; fields: FieldMeta[] }> = {
  sales: {
    label: 'Sales history',
    description: 'Daily sales by department and channel, with promo flag and discount.',
    fields: [
      { name: 'date', required: true },
      { name: 'channel', required: true },
      { name: 'department', required: true },
      { name: 'sales_value', required: true },
      { name: 'margin_value', required: true },
      { name: 'units', required: true },
      { name: 'promo_flag', required: false },
      { name: 'discount_pct', required: false },
    ],
  },
  'promo-catalog': {
    label: 'Promo calendar',
    description: 'Past promotions: name, dates, departments, channels, average discount.',
    fields: [
      { name: 'promo_name', required: false },
      { name: 'date_start', required: true },
      { name: 'date_end', required: true },
      { name: 'departments', required: false },
      { name: 'channels', required: false },
      { name: 'avg_discount_pct', required: false },
    ],
  },
  targets: {
    label: 'Monthly targets',
    description: 'Sales and margin targets per month and geography (optionally per department and channel).',
    fields: [
      { name: 'month', required: true },
      { name: 'geo', required: true },
      { name: 'sales_value_target', required: true },
      { name: 'margin_pct_target', required: true },
      { name: 'units_target', required: false },
      { name: 'department', required: false },
      { name: 'channel', required: false },
    ],
  },
  segments: {
    label: 'CDP segments',
    description: 'Customer segments with their share of customers and revenue, basket and discount sensitivity.',
    fields: [
      { name: 'segment_id', required: true },
      { name: 'name', required: true },
      { name: 'share_of_customers', required: true },
      { name: 'share_of_revenue', required: true },
      { name: 'avg_basket_value', required: true },
      { name: 'fav_categories', required: false },
      { name: 'discount_sensitivity', required: false },
      { name: 'purchase_frequency', required: false },
      { name: 'last_purchase_days_ago', required: false },
    ],
  },
};

function fileKey(file: File) {
  return `${file.name}|${file.size}|${file.lastModified}`;
}

function fieldsOf(kind: ImportKind, preview: ImportPreview | undefined): FieldMeta[] {
  if (preview?.fields && preview.fields.length > 0)
    return preview.fields.map((field) => ({ name: field.field, required: field.required, description: field.description }));
  return IMPORT_KIND_META[kind].fields;
}

export function PromotionsImportsPage() {
  const me = useSession();
  const allowed = canEdit(me.role);
  const [params, setParams] = useSearchParams();
  const kind = (IMPORT_KINDS as readonly string[]).includes(params.get('kind') ?? '') ? (params.get('kind') as ImportKind) : 'sales';
  const [files, setFiles] = useState<File[]>([]);
  const [dragging, setDragging] = useState(false);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [sheet, setSheet] = useState<string | null>(null);
  const [dateOrder, setDateOrder] = useState<string>('auto');
  const [aggregate, setAggregate] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const preview = useImportPreview();
  const start = useStartImport();
  const job = useImportJob(jobId);
  const jobs = useImportJobs();
  const fields = fieldsOf(kind, preview.data);

  const resetResults = () => {
    start.reset();
    setJobId(null);
  };

  const runPreview = (nextFiles: File[], nextSheet: string | null) => {
    const first = nextFiles[0];
    if (!first) {
      preview.reset();
      return;
    }
    preview.mutate(
      { kind, file: first, sheet: nextSheet },
      {
        onSuccess: (result) => {
          setMapping({ ...result.suggestedMapping });
          if (!nextSheet && result.sheet) setSheet(result.sheet);
          // A file whose format knows no sheets (CSV) keeps no sheet option.
        },
      },
    );
  };

  const chooseKind = (next: ImportKind) => {
    setParams({ kind: next }, { replace: true });
    setFiles([]);
    setMapping({});
    setSheet(null);
    preview.reset();
    resetResults();
  };

  const addFiles = (incoming: File[]) => {
    if (incoming.length === 0) return;
    const known = new Set(files.map(fileKey));
    const next = [...files, ...incoming.filter((file) => !known.has(fileKey(file)))];
    setFiles(next);
    resetResults();
    if (files.length === 0) {
      setSheet(null);
      runPreview(next, null);
    }
  };

  const removeFile = (file: File) => {
    const next = files.filter((candidate) => fileKey(candidate) !== fileKey(file));
    setFiles(next);
    resetResults();
    if (files[0] && fileKey(files[0]) === fileKey(file)) {
      setSheet(null);
      runPreview(next, null);
    }
  };

  const handleDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    if (!allowed) return;
    addFiles(Array.from(event.dataTransfer.files ?? []));
  };

  const missing = fields.filter((field) => field.required && !mapping[field.name]).map((field) => field.name);

  const startImport = () => {
    const map: Record<string, string> = {};
    for (const [field, column] of Object.entries(mapping)) if (column) map[field] = column;
    const options: ImportOptions = { map };
    if (sheet && preview.data && preview.data.sheets.length > 1) options.sheet = sheet;
    if (Object.keys(map).length === 0) delete options.map;
    if (dateOrder === 'dmy' || dateOrder === 'mdy') options.dateOrder = dateOrder;
    if (aggregate) options.aggregate = true;
    start.mutate({ kind, files, options }, { onSuccess: (created) => setJobId(created.id) });
  };

  const currentJob = job.data ?? start.data ?? null;
  const startErrors = importErrorsOf(start.error);

  return (
    <Stack gap="lg" data-testid="pr-imports-page">
      <PageHeader
        title="Imports"
        description="Upload one or more .xlsb, .xlsx or .csv files. Check the preview and the column mapping, then start: the job runs in the background and every file is checked before anything is written. Re-importing the same days replaces them, never duplicates them."
      />
      {!allowed && (
        <Alert color="orange" variant="light" icon={<IconLock size={18} />}>
          Your role ({me.role}) can read promotions but not import data. Staff, managers and admins can.
        </Alert>
      )}
      <ChoiceCards
        options={IMPORT_KINDS.map((value) => ({ value, label: IMPORT_KIND_META[value].label, description: IMPORT_KIND_META[value].description }))}
        value={kind}
        onChange={chooseKind}
        color="pink"
        cols={{ base: 2, md: 4 }}
        testIdPrefix="pr-import-kind-"
      />

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
          border: `2px dashed var(--mantine-color-${dragging ? 'pink-5' : 'gray-3'})`,
          background: dragging ? 'var(--mantine-color-pink-0)' : 'var(--mantine-color-gray-0)',
        }}
        data-testid="pr-import-dropzone"
      >
        <Group justify="space-between" gap="md">
          <Group gap="sm" wrap="nowrap">
            <ThemeIcon size={40} radius="md" variant="light" color={files.length > 0 ? 'pink' : 'gray'}>
              <IconFileSpreadsheet size={22} />
            </ThemeIcon>
            <Stack gap={0}>
              <Text size="sm" fw={600}>
                {files.length > 0
                  ? `${files.length} file${files.length === 1 ? '' : 's'} ready`
                  : `Drop ${IMPORT_KIND_META[kind].label.toLowerCase()} files here`}
              </Text>
              <Text size="xs" c="dimmed">
                .xlsb, .xlsx or .csv — several files make one job
              </Text>
            </Stack>
          </Group>
          <FileButton onChange={addFiles} accept={ACCEPT} multiple disabled={!allowed}>
            {(props) => (
              <Button variant="default" leftSection={<IconUpload size={16} />} {...props} data-testid="pr-import-choose">
                Choose files
              </Button>
            )}
          </FileButton>
        </Group>
        {files.length > 0 && (
          <Group gap={6} mt="md">
            {files.map((file) => (
              <Badge
                key={fileKey(file)}
                variant="white"
                color="dark"
                radius="sm"
                tt="none"
                fw={500}
                size="lg"
                rightSection={
                  <UnstyledButton aria-label={`Remove ${file.name}`} onClick={() => removeFile(file)} style={{ display: 'flex' }}>
                    <IconX size={12} />
                  </UnstyledButton>
                }
                style={{ border: '1px solid var(--mantine-color-gray-3)' }}
              >
                {file.name} · {(file.size / 1024).toFixed(file.size < 10_240 ? 1 : 0)} KB
              </Badge>
            ))}
          </Group>
        )}
      </Paper>

      {preview.isPending && <Skeleton h={260} radius="md" />}
      {preview.isError && <ErrorState error={preview.error} title={`Could not read ${files[0]?.name ?? 'the file'}`} />}
      {preview.isSuccess && files.length > 0 && (
        <Panel
          title={`Preview of ${files[0]?.name ?? 'the first file'}`}
          description="The first rows as read. Map each field to a column of the file (the suggestion comes from the headers); the same mapping applies to every file of the job."
          testId="pr-import-preview"
          actions={
            preview.data.sheets.length > 1 ? (
              <Select
                size="xs"
                w={220}
                label="Sheet"
                data={preview.data.sheets.map((candidate) => ({
                  value: candidate.name,
                  label: `${candidate.name} (${candidate.rows} rows${candidate.state !== 'visible' ? `, ${candidate.state}` : ''})`,
                }))}
                value={sheet}
                allowDeselect={false}
                onChange={(value) => {
                  setSheet(value);
                  runPreview(files, value);
                }}
              />
            ) : undefined
          }
        >
          <Stack gap="md">
            <MappingEditor fields={fields} headers={preview.data.headers} mapping={mapping} onChange={setMapping} />
            <Group gap="lg">
              <Select
                size="xs"
                w={220}
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
              {kind === 'sales' && (
                <Checkbox
                  mt={18}
                  label="Sum rows of the same day, department and channel (transaction-level files)"
                  checked={aggregate}
                  onChange={(event) => setAggregate(event.currentTarget.checked)}
                />
              )}
            </Group>
            {preview.data.problems.length > 0 && (
              <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="The file needs attention" data-testid="pr-import-problems">
                <Stack gap={2}>
                  {preview.data.problems.slice(0, 5).map((problem, index) => (
                    <Text key={index} size="sm">
                      {[
                        problem.sheet ? `sheet ${problem.sheet}` : null,
                        problem.row ? `row ${problem.row}` : null,
                        problem.column ? `column ${problem.column}` : null,
                      ]
                        .filter(Boolean)
                        .join(', ') || 'File'}
                      : {problem.message}
                    </Text>
                  ))}
                </Stack>
              </Alert>
            )}
            <SampleTable
              preview={preview.data}
              errors={[...startErrors, ...importErrorsOf(currentJob)].filter((error) => !error.file || error.file === files[0]?.name)}
            />
          </Stack>
        </Panel>
      )}

      {files.length > 0 && (
        <Group justify="space-between">
          <Text size="sm" c={missing.length > 0 ? 'red.7' : 'dimmed'}>
            {missing.length > 0
              ? `Map the required field${missing.length === 1 ? '' : 's'} ${missing.join(', ')} before starting.`
              : `${files.length} file${files.length === 1 ? '' : 's'} · ${IMPORT_KIND_META[kind].label.toLowerCase()}`}
          </Text>
          <Button
            leftSection={<IconPlayerPlay size={16} />}
            disabled={!allowed || missing.length > 0 || preview.isPending}
            loading={start.isPending}
            onClick={startImport}
            data-testid="pr-import-start"
          >
            Start import
          </Button>
        </Group>
      )}

      {start.isError && startErrors.length === 0 && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="The import did not start">
          {errorMessage(start.error)}
        </Alert>
      )}
      {startErrors.length > 0 && <ImportErrorsTable errors={startErrors} message={errorMessage(start.error)} />}
      {currentJob && <JobProgress job={currentJob} />}

      <Panel title="Import history" description="The latest jobs of this organization." padding={0} testId="pr-import-history">
        <JobHistory jobs={rowsOf<ImportJob>(jobs.data)} loading={jobs.isPending} error={jobs.error} onOpen={setJobId} />
      </Panel>
    </Stack>
  );
}

function MappingEditor({
  fields,
  headers,
  mapping,
  onChange,
}: {
  fields: FieldMeta[];
  headers: ImportPreview['headers'];
  mapping: Record<string, string | null>;
  onChange: (next: Record<string, string | null>) => void;
}) {
  // A column is named by its header, or by its letter when the header is empty.
  const options = headers.map((column) => ({
    value: column.header || column.letter,
    label: column.header ? `${column.header} (${column.letter})` : `Column ${column.letter}`,
  }));
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm" data-testid="pr-import-mapping">
      {fields.map((field) => {
        const value = mapping[field.name] ?? null;
        return (
          <Select
            key={field.name}
            size="xs"
            label={
              <Group gap={4} component="span">
                <Code fz="xs">{field.name}</Code>
                {field.required && (
                  <Text span size="xs" c="red.7">
                    required
                  </Text>
                )}
              </Group>
            }
            placeholder={field.required ? 'Choose a column' : 'Not in the file'}
            data={options.some((option) => option.value === value) || !value ? options : [...options, { value, label: value }]}
            value={value}
            clearable={!field.required}
            searchable
            description={field.description}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            error={field.required && !value ? 'No column yet' : undefined}
            onChange={(next) => onChange({ ...mapping, [field.name]: next })}
            data-testid={`pr-map-${field.name}`}
          />
        );
      })}
    </SimpleGrid>
  );
}

function SampleTable({ preview, errors }: { preview: ImportPreview; errors: ImportRowError[] }) {
  const bad = new Map<string, string>();
  for (const error of errors) {
    const letter = columnLetterOf(error.column);
    if (error.row !== null && error.row !== undefined && letter) bad.set(`${error.row}|${letter}`, error.message);
  }
  return (
    <Table.ScrollContainer minWidth={600} type="native">
      <Table fz="xs" verticalSpacing={4} striped withTableBorder data-testid="pr-import-sample">
        <Table.Thead bg="gray.0">
          <Table.Tr>
            <Table.Th w={50} ta="right">
              Row
            </Table.Th>
            {preview.headers.map((column) => (
              <Table.Th key={column.letter} style={{ whiteSpace: 'nowrap' }}>
                <Text span size="xs" c="dimmed" mr={4}>
                  {column.letter}
                </Text>
                {column.header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.sampleRows.slice(0, 8).map((row) => (
            <Table.Tr key={row.row}>
              <Table.Td ta="right" c="dimmed">
                {row.row}
              </Table.Td>
              {preview.headers.map((column, index) => {
                const problem = bad.get(`${row.row}|${column.letter}`);
                return (
                  <Table.Td
                    key={column.letter}
                    style={{
                      whiteSpace: 'nowrap',
                      ...(problem ? { background: 'var(--mantine-color-red-1)', color: 'var(--mantine-color-red-9)', fontWeight: 700 } : {}),
                    }}
                    title={problem}
                    data-bad-cell={problem ? 'true' : undefined}
                  >
                    {row.cells[index] ?? ''}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const JOB_STATUS: Record<ImportJob['status'], { color: string; label: string }> = {
  queued: { color: 'gray', label: 'Queued' },
  processing: { color: 'blue', label: 'Processing' },
  completed: { color: 'teal', label: 'Completed' },
  failed: { color: 'red', label: 'Failed' },
};

function jobProgress(job: ImportJob): number {
  if (job.status === 'completed' || job.status === 'failed') return 100;
  if (job.recordsTotal && job.recordsTotal > 0) return Math.min(99, (job.recordsRead / job.recordsTotal) * 100);
  if (job.filesQueued > 0) return Math.min(99, ((job.filesProcessed ?? 0) / job.filesQueued) * 100);
  return 0;
}

function JobProgress({ job }: { job: ImportJob }) {
  const meta = JOB_STATUS[job.status] ?? JOB_STATUS.queued;
  const errors = importErrorsOf(job);
  const running = job.status === 'queued' || job.status === 'processing';
  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md" data-testid="pr-import-job" data-status={job.status}>
        <Group justify="space-between" mb="xs">
          <Group gap="sm">
            {job.status === 'completed' ? (
              <IconCircleCheck size={20} color="var(--mantine-color-teal-7)" />
            ) : job.status === 'failed' ? (
              <IconAlertTriangle size={20} color="var(--mantine-color-red-7)" />
            ) : null}
            <Text fw={650}>{job.status === 'completed' ? 'Import finished' : job.status === 'failed' ? 'Import failed' : 'Importing…'}</Text>
            <Badge color={meta.color} variant="light" radius="sm" tt="none">
              {meta.label}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed" ff="monospace">
            {job.jobId}
          </Text>
        </Group>
        <Progress value={jobProgress(job)} color={meta.color} size="lg" radius="sm" animated={running} striped={running} data-testid="pr-import-progress" />
        <Group gap="xl" mt="sm">
          <Figure label="files" value={`${job.filesProcessed ?? 0} / ${job.filesQueued}`} />
          <Figure label="rows read" value={`${formatCount(job.recordsRead)}${job.recordsTotal ? ` / ${formatCount(job.recordsTotal)}` : ''}`} />
          <Figure label="records written" value={formatCount(job.recordsProcessed ?? 0)} testId="pr-import-records" />
          <Figure label="errors" value={formatCount(job.errors ?? 0)} />
        </Group>
        {job.files.length > 0 && (
          <Stack gap={2} mt="sm">
            {job.files.map((file) => (
              <Text key={file.name} size="xs" c={file.status === 'failed' ? 'red.7' : 'dimmed'}>
                {file.name}
                {file.sheet ? ` · sheet ${file.sheet}` : ''} · {file.status} · {formatCount(file.records)} records
                {file.error ? ` — ${file.error}` : ''}
              </Text>
            ))}
          </Stack>
        )}
        {job.status === 'completed' && (
          <Text size="xs" c="dimmed" mt="sm">
            The <Link to="/promotions">sales explorer</Link> and the <Link to="/promotions/opportunities">opportunities</Link> now use these figures.
          </Text>
        )}
      </Paper>
      {job.status === 'failed' &&
        (errors.length > 0 ? (
          <ImportErrorsTable errors={errors} message={job.errorMessage ?? 'The files have problems.'} />
        ) : (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="Nothing was imported">
            {job.errorMessage ?? 'The job failed without a message.'}
          </Alert>
        ))}
    </Stack>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text fz={18} fw={750} className="pr-num" data-testid={testId}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}

function JobHistory({ jobs, loading, error, onOpen }: { jobs: ImportJob[]; loading: boolean; error: unknown; onOpen: (id: string) => void }) {
  const sorted = useMemo(() => [...jobs].sort((a, b) => b.createdAt.localeCompare(a.createdAt)), [jobs]);
  if (error) return <ErrorState error={error} title="Could not load the import history" />;
  if (loading) return <Skeleton h={120} m="md" />;
  if (sorted.length === 0)
    return (
      <Text size="sm" c="dimmed" p="md">
        No imports yet. Choose files above to start the first one.
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={720} type="native">
      <Table verticalSpacing={6} horizontalSpacing="md" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Started</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Files</Table.Th>
            <Table.Th ta="right">Records</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((job) => {
            const meta = JOB_STATUS[job.status] ?? JOB_STATUS.queued;
            return (
              <Table.Tr key={job.id}>
                <Table.Td>
                  <DateTimeText value={job.createdAt} relative size="sm" />
                </Table.Td>
                <Table.Td>{IMPORT_KIND_META[job.kind.replace('_', '-') as ImportKind]?.label ?? job.kind}</Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={1} maw={320}>
                    {job.files.map((file) => file.name).join(', ') || `${job.filesQueued} file${job.filesQueued === 1 ? '' : 's'}`}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" className="pr-num">
                  {formatCount(job.recordsProcessed ?? 0)}
                </Table.Td>
                <Table.Td>
                  <Badge color={meta.color} variant="light" radius="sm" tt="none">
                    {meta.label}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">
                  <Button size="compact-xs" variant="subtle" onClick={() => onOpen(job.id)}>
                    Details
                  </Button>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
