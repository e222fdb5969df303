import { ChoiceCards } from '../../../components/choice-cards';
import { Alert, Badge, Button, Code, FileButton, Group, Paper, Stack, Table, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconFileSpreadsheet, IconLock, IconUpload, IconX } from '@tabler/icons-react';
import { type DragEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError, errorMessage } from '../../../api';
import { PageHeader } from '../../../components/page-header';
import { useSession } from '../../auth/session';
import { IMPORT_KINDS, type ImportKind, type ImportResult, type ImportRowError } from '../api-types';
import { useImportFile } from '../queries';
import { canAct, formatIsoDate, IMPORT_KIND_META } from '../shared/status';

const ACCEPT = '.csv,.xlsx,.xls,.xlsb,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel';
const SHOWN_ERRORS = 500;

/** Row-level problems of a rejected file: `{row, column, message}` per the contract; anything else is kept as a message. */
export function importErrorsOf(error: unknown): ImportRowError[] {
  if (!(error instanceof ApiError) || error.status !== 400 || !Array.isArray(error.details)) return [];
  return error.details.flatMap((item): ImportRowError[] => {
    if (typeof item !== 'object' || item === null) return [];
    const record = item as Record<string, unknown>;
    if (typeof record.message !== 'string') return [];
    const row = typeof record.row === 'number' ? record.row : Number.NaN;
    const column = typeof record.column === 'string' && record.column !== '' ? record.column : null;
    return [{ row, column, message: record.message, path: typeof record.path === 'string' ? record.path : undefined }];
  });
}

export function ImportsPage() {
  const me = useSession();
  const allowed = canAct(me.role);
  const [searchParams, setSearchParams] = useSearchParams();
  const kind = (IMPORT_KINDS as readonly string[]).includes(searchParams.get('kind') ?? '') ? (searchParams.get('kind') as ImportKind) : 'metrics';
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const upload = useImportFile();
  const rowErrors = importErrorsOf(upload.error);
  const meta = IMPORT_KIND_META[kind];

  const chooseKind = (next: ImportKind) => {
    setSearchParams({ kind: next }, { replace: true });
    upload.reset();
  };
  const chooseFile = (next: File | null) => {
    setFile(next);
    upload.reset();
  };
  const handleDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files?.[0];
    if (dropped) chooseFile(dropped);
  };

  return (
    <Stack gap="lg">
      <PageHeader
        title="Imports"
        description="Upload a CSV or Excel file. A file is checked completely before anything is written: if one row is wrong, nothing changes and every problem is listed with its row and column. Re-importing the same file changes nothing."
      />
      {!allowed && (
        <Alert color="orange" variant="light" icon={<IconLock size={18} />}>
          Your role ({me.role}) can read store health but not import data. Staff, managers and admins can.
        </Alert>
      )}
      <ChoiceCards
        options={IMPORT_KINDS.map((value) => ({ value, label: IMPORT_KIND_META[value].label, description: IMPORT_KIND_META[value].description }))}
        value={kind}
        onChange={chooseKind}
        color="indigo"
        cols={{ base: 2, sm: 3 }}
        testIdPrefix="sh-import-kind-"
      />

      <Paper withBorder radius="md" p="md">
        <Stack gap="md">
          <div>
            <Text size="sm" fw={650}>
              {meta.label}: columns
            </Text>
            <Group gap={4} mt={6}>
              {meta.required.map((column) => (
                <Badge key={column} variant="light" color="indigo" radius="sm" tt="none" ff="monospace">
                  {column}
                </Badge>
              ))}
              {meta.optional.map((column) => (
                <Badge key={column} variant="default" radius="sm" tt="none" ff="monospace" fw={400}>
                  {column}
                </Badge>
              ))}
            </Group>
            <Text size="xs" c="dimmed" mt={6}>
              Highlighted columns are required. The header row names the columns (any case, spaces or dashes); dates as YYYY-MM-DD.
            </Text>
          </div>
          <Paper
            radius="md"
            p="lg"
            onDragOver={(event) => {
              if (!allowed) return;
              event.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={allowed ? handleDrop : undefined}
            style={{
              border: `2px dashed var(--mantine-color-${dragging ? 'indigo-5' : 'gray-3'})`,
              background: dragging ? 'var(--mantine-color-indigo-0)' : 'var(--mantine-color-gray-0)',
            }}
            data-testid="sh-import-dropzone"
          >
            <Group justify="space-between" gap="md">
              <Group gap="sm" wrap="nowrap">
                <ThemeIcon size={40} radius="md" variant="light" color={file ? 'indigo' : 'gray'}>
                  <IconFileSpreadsheet size={22} />
                </ThemeIcon>
                <Stack gap={0}>
                  <Text size="sm" fw={600}>
                    {file ? file.name : 'Drop a CSV or Excel file here'}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {file ? `${(file.size / 1024).toFixed(file.size < 10_240 ? 1 : 0)} KB` : 'or choose one from your computer'}
                  </Text>
                </Stack>
              </Group>
              <Group gap="xs">
                {file && (
                  <Button variant="subtle" color="gray" leftSection={<IconX size={14} />} onClick={() => chooseFile(null)}>
                    Remove
                  </Button>
                )}
                <FileButton onChange={chooseFile} accept={ACCEPT} disabled={!allowed}>
                  {(props) => (
                    <Button variant="default" {...props} data-testid="sh-import-choose">
                      Choose file
                    </Button>
                  )}
                </FileButton>
                <Button
                  leftSection={<IconUpload size={16} />}
                  disabled={!file || !allowed}
                  loading={upload.isPending}
                  onClick={() => file && upload.mutate({ kind, file })}
                  data-testid="sh-import-upload"
                >
                  Import file
                </Button>
              </Group>
            </Group>
          </Paper>
        </Stack>
      </Paper>

      {upload.isSuccess && <ImportSummary result={upload.data} />}
      {upload.isError && rowErrors.length === 0 && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="The import failed">
          {errorMessage(upload.error)}
        </Alert>
      )}
      {rowErrors.length > 0 && <ImportErrors errors={rowErrors} message={errorMessage(upload.error)} fileName={file?.name} />}
    </Stack>
  );
}

function ImportSummary({ result }: { result: ImportResult }) {
  const figures: [string, number][] = [
    ['rows read', result.rows],
    ['inserted', result.inserted],
    ['updated', result.updated],
    ['unchanged', result.unchanged],
  ];
  return (
    <Paper withBorder radius="md" p="md" data-testid="sh-import-result" style={{ borderLeft: '4px solid var(--mantine-color-green-6)' }}>
      <Group gap="sm" mb="sm">
        <IconCircleCheck size={20} color="var(--mantine-color-green-7)" />
        <Text fw={650}>Imported {result.fileName ?? IMPORT_KIND_META[result.kind]?.label ?? result.kind}</Text>
      </Group>
      <Group gap="xl">
        {figures.map(([label, value]) => (
          <Stack key={label} gap={0}>
            <Text fz={22} fw={800} style={{ fontVariantNumeric: 'tabular-nums' }}>
              {value.toLocaleString()}
            </Text>
            <Text size="xs" c="dimmed">
              {label}
            </Text>
          </Stack>
        ))}
        {result.dates && (
          <Stack gap={0}>
            <Text size="sm" fw={600} mt={6}>
              {formatIsoDate(result.dates.from)} – {formatIsoDate(result.dates.to)}
            </Text>
            <Text size="xs" c="dimmed">
              dates covered
            </Text>
          </Stack>
        )}
      </Group>
      {result.derived && (
        <Text size="xs" c="dimmed" mt="sm">
          Derived KPI values: {result.derived.inserted} inserted, {result.derived.updated} updated, {result.derived.unchanged} unchanged.
        </Text>
      )}
      {result.created && (result.created.regions > 0 || result.created.districts > 0) && (
        <Text size="xs" c="dimmed" mt={4}>
          Created {result.created.regions} region{result.created.regions === 1 ? '' : 's'} and {result.created.districts} district
          {result.created.districts === 1 ? '' : 's'}.
        </Text>
      )}
      <Text size="xs" c="dimmed" mt={4}>
        {result.evaluationJobId ? (
          <>
            Re-evaluation queued as job <Code fz="xs">{result.evaluationJobId}</Code>; the <Link to="/store-health">chain overview</Link> updates when it
            finishes.
          </>
        ) : (
          'No KPI value changed, so nothing needs re-evaluating.'
        )}
      </Text>
    </Paper>
  );
}

function ImportErrors({ errors, message, fileName }: { errors: ImportRowError[]; message: string; fileName?: string }) {
  const rows = new Set(errors.map((error) => error.row).filter((row) => Number.isFinite(row)));
  const sorted = [...errors].sort((a, b) => (Number.isFinite(a.row) ? a.row : 0) - (Number.isFinite(b.row) ? b.row : 0));
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden', borderLeft: '4px solid var(--mantine-color-red-6)' }}>
      <Stack gap={4} p="md">
        <Group gap="sm">
          <IconAlertTriangle size={20} color="var(--mantine-color-red-7)" />
          <Text fw={650}>
            {fileName ? `${fileName} was not imported` : 'The file was not imported'}: {errors.length} problem{errors.length === 1 ? '' : 's'}
            {rows.size > 0 ? ` in ${rows.size} row${rows.size === 1 ? '' : 's'}` : ''}
          </Text>
        </Group>
        <Text size="sm" c="dimmed">
          {message} Fix these rows and upload the file again.
        </Text>
      </Stack>
      <Table.ScrollContainer minWidth={560} mah={480} type="native">
        <Table data-testid="sh-import-errors" stickyHeader verticalSpacing={6} horizontalSpacing="md" striped>
          <Table.Thead bg="gray.0">
            <Table.Tr>
              <Table.Th w={80} ta="right">
                Row
              </Table.Th>
              <Table.Th w={180}>Column</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.slice(0, SHOWN_ERRORS).map((error, index) => (
              <Table.Tr key={`${error.row}-${error.column}-${index}`}>
                <Table.Td ta="right" ff="monospace" fw={600}>
                  {Number.isFinite(error.row) ? error.row : '—'}
                </Table.Td>
                <Table.Td>
                  {error.column ? (
                    <Code>{error.column}</Code>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {error.path === 'file' ? 'whole file' : 'whole row'}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{error.message}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {errors.length > SHOWN_ERRORS && (
        <Text size="xs" c="dimmed" p="sm">
          Showing the first {SHOWN_ERRORS} of {errors.length} problems.
        </Text>
      )}
    </Paper>
  );
}
