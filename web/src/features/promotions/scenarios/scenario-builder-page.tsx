import { Alert, Anchor, Badge, Button, Grid, Group, Modal, Select, Skeleton, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconCopy, IconDeviceFloppy, IconReportSearch, IconTrash } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { errorMessage } from '../../../api';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { fieldErrorsFrom } from '../../../lib/field-errors';
import { useSession } from '../../auth/session';
import { SCENARIO_TYPES, type Mechanic, type Scenario, type ScenarioInput, type ScenarioType, type Segment, type ValidationIssue } from '../api-types';
import {
  PR_KEY,
  previewScenario,
  rowsOf,
  useCopyScenario,
  useDeleteScenario,
  useSalesSummary,
  useSaveScenario,
  useScenario,
  useSegments,
  useValidate,
  useValidation,
} from '../queries';
import { addDays, canEdit, daysBetween, formatPeriod, SCENARIO_TYPE_LABELS, todayIso } from '../shared/format';
import { Panel, ValidationBadge } from '../shared/ui';
import { BriefPanel } from './brief-panel';
import { BreakdownPanel, ComputationNote, KpiTiles } from './kpi-panel';
import { MechanicsTable } from './mechanics-table';
import { ValidationPanel } from './validation-panel';
import { fixFor } from './validation-fixes';

type Draft = {
  label: string;
  scenarioType: ScenarioType | null;
  dateRangeStart: string;
  dateRangeEnd: string;
  mechanics: Mechanic[];
  description: string;
};

function draftOf(scenario: Scenario): Draft {
  return {
    label: scenario.label,
    scenarioType: scenario.scenarioType,
    dateRangeStart: scenario.dateRangeStart,
    dateRangeEnd: scenario.dateRangeEnd,
    mechanics: scenario.mechanics.map((mechanic) => ({ ...mechanic, segments: mechanic.segments ?? ['ALL'], notes: mechanic.notes ?? '' })),
    description: scenario.description ?? '',
  };
}

function newDraft(department: string | undefined, lastSalesDay: string | null): Draft {
  const start = addDays(lastSalesDay && lastSalesDay > todayIso() ? lastSalesDay : todayIso(), 7);
  return {
    label: '',
    scenarioType: 'balanced',
    dateRangeStart: start,
    dateRangeEnd: addDays(start, 6),
    mechanics: [{ department: department ?? '', channel: 'online', discount_pct: 15, segments: ['ALL'], notes: '' }],
    description: '',
  };
}

function inputOf(draft: Draft): ScenarioInput {
  return {
    label: draft.label.trim(),
    scenarioType: draft.scenarioType,
    dateRangeStart: draft.dateRangeStart,
    dateRangeEnd: draft.dateRangeEnd,
    mechanics: draft.mechanics.map((mechanic) => ({
      department: mechanic.department,
      channel: mechanic.channel,
      discount_pct: mechanic.discount_pct,
      segments: mechanic.segments.length > 0 ? mechanic.segments : ['ALL'],
      ...(mechanic.notes ? { notes: mechanic.notes } : {}),
    })),
    description: draft.description.trim() || null,
  };
}

export function ScenarioBuilderPage() {
  const { id } = useParams();
  const scenario = useScenario(id);
  const summary = useSalesSummary();
  if (id && scenario.isError) {
    return (
      <Stack gap="lg">
        <BackLink />
        <ErrorState error={scenario.error} title="Could not load this scenario" onRetry={() => scenario.refetch()} />
      </Stack>
    );
  }
  if ((id && scenario.isPending) || summary.isPending || (id && scenario.data && scenario.data.id !== id)) {
    return (
      <Stack gap="lg">
        <BackLink />
        <Skeleton h={60} radius="md" />
        <Skeleton h={120} radius="md" />
        <Skeleton h={260} radius="md" />
      </Stack>
    );
  }
  return (
    <Builder
      key={id ?? 'new'}
      scenario={id ? (scenario.data ?? null) : null}
      departments={summary.data?.departments ?? []}
      lastSalesDay={summary.data?.to ?? null}
    />
  );
}

function BackLink() {
  return (
    <Anchor component={Link} to="/promotions/scenarios" size="sm" c="dimmed">
      <Group gap={4}>
        <IconArrowLeft size={14} /> Scenarios
      </Group>
    </Anchor>
  );
}

function Builder({ scenario, departments, lastSalesDay }: { scenario: Scenario | null; departments: string[]; lastSalesDay: string | null }) {
  const me = useSession();
  const editable = canEdit(me.role);
  const navigate = useNavigate();
  const saved = useMemo(() => (scenario ? draftOf(scenario) : null), [scenario]);
  const [draft, setDraft] = useState<Draft>(() => saved ?? newDraft(departments[0], lastSalesDay));
  const [confirmDelete, setConfirmDelete] = useState(false);
  const segments = useSegments();
  const save = useSaveScenario();
  const copy = useCopyScenario();
  const remove = useDeleteScenario();
  const validation = useValidation(scenario?.id);
  const validate = useValidate();

  // A refetched scenario (after save) becomes the new reference; local edits made meanwhile are kept.
  useEffect(() => {
    if (saved && !save.isPending) setDraft((current) => (JSON.stringify(current) === JSON.stringify(saved) ? current : saved));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scenario?.updatedAt]);

  const dirty = !saved || JSON.stringify(inputOf(draft)) !== JSON.stringify(inputOf(saved));
  const ready = draft.mechanics.length > 0 && draft.mechanics.every((mechanic) => mechanic.department) && draft.dateRangeEnd >= draft.dateRangeStart;
  const previewInput = {
    dateRangeStart: draft.dateRangeStart,
    dateRangeEnd: draft.dateRangeEnd,
    mechanics: inputOf(draft).mechanics,
    scenarioType: draft.scenarioType,
  };
  const [debounced] = useDebouncedValue(previewInput, 250);
  const preview = useQuery({
    queryKey: [PR_KEY, 'preview', debounced],
    queryFn: ({ signal }) => previewScenario(debounced, signal),
    enabled: ready,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    retry: false,
  });
  const kpis = preview.data ?? null;
  const typing = JSON.stringify(previewInput) !== JSON.stringify(debounced);
  const errors = fieldErrorsFrom(save.error, ['label', 'dateRangeStart', 'dateRangeEnd', 'mechanics', 'scenarioType'] as const);
  const validationStale = Boolean(validation.data && (dirty || (scenario && validation.data.updatedAt && validation.data.updatedAt < scenario.updatedAt)));
  const segmentOptions = rowsOf<Segment>(segments.data).map((segment) => ({ value: segment.segmentId, label: segment.name || segment.segmentId }));

  const handleSave = () => {
    save.mutate(
      { id: scenario?.id ?? null, input: inputOf(draft) },
      {
        onSuccess: (result) => {
          notifications.show({ color: 'green', title: 'Scenario saved', message: `${result.label}: KPIs recomputed.` });
          if (!scenario) navigate(`/promotions/scenarios/${result.id}`, { replace: true });
        },
      },
    );
  };

  const applyFix = (issue: ValidationIssue) => {
    const fix = fixFor(issue);
    if (!fix) return;
    setDraft((current) => ({ ...current, ...fix.apply(current) }));
    notifications.show({ color: 'pink', title: 'Fix applied to the draft', message: `${fix.label}. Check the KPIs, then save and validate again.` });
  };

  return (
    <Stack gap="lg" data-testid="pr-builder">
      <BackLink />
      <PageHeader
        title={scenario ? scenario.label : 'New scenario'}
        documentTitle={scenario ? `${scenario.label} · Scenario` : 'New scenario'}
        badge={
          <Group gap={6}>
            {scenario && <ValidationBadge status={validation.data?.status} />}
            {dirty && scenario && (
              <Badge variant="outline" color="orange" radius="sm" tt="none" data-testid="pr-unsaved">
                Unsaved changes
              </Badge>
            )}
          </Group>
        }
        description={
          scenario
            ? `${formatPeriod(scenario.dateRangeStart, scenario.dateRangeEnd)} · ${scenario.mechanics.length} mechanic${scenario.mechanics.length === 1 ? '' : 's'}${scenario.sourceOpportunityId ? ' · planned from an opportunity' : ''}`
            : 'Choose the period and the mechanics; the KPIs are forecast live as you edit, from the baseline and the uplift coefficients.'
        }
        actions={
          editable ? (
            <>
              {scenario && (
                <>
                  <Button component={Link} to={`/promotions/post-mortems/${scenario.id}`} variant="subtle" leftSection={<IconReportSearch size={16} />}>
                    Post-mortem
                  </Button>
                  <Button
                    variant="default"
                    leftSection={<IconCopy size={16} />}
                    loading={copy.isPending}
                    onClick={() => copy.mutate(scenario.id, { onSuccess: (created) => navigate(`/promotions/scenarios/${created.id}`) })}
                    data-testid="pr-copy"
                  >
                    Copy
                  </Button>
                  <Button variant="default" color="red" leftSection={<IconTrash size={16} />} onClick={() => setConfirmDelete(true)} data-testid="pr-delete">
                    Delete
                  </Button>
                </>
              )}
              <Button
                leftSection={<IconDeviceFloppy size={16} />}
                onClick={handleSave}
                loading={save.isPending}
                disabled={!dirty || !ready || !draft.label.trim()}
                data-testid="pr-save"
              >
                {scenario ? 'Save changes' : 'Save scenario'}
              </Button>
            </>
          ) : undefined
        }
      />
      {(save.isError || copy.isError || remove.isError) && !errors.fields.label && (
        <Alert color="red" variant="light" title="That did not work">
          {errorMessage(save.error ?? copy.error ?? remove.error)}
        </Alert>
      )}

      <Panel>
        <Grid gap="sm">
          <Grid.Col span={{ base: 12, md: 5 }}>
            <TextInput
              label="Label"
              placeholder="e.g. October TV push"
              value={draft.label}
              onChange={(event) => setDraft({ ...draft, label: event.currentTarget.value })}
              error={errors.fields.label}
              maxLength={100}
              readOnly={!editable}
              withAsterisk
              data-testid="pr-label"
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}>
            <Select
              label="Type"
              data={SCENARIO_TYPES.map((value) => ({ value, label: SCENARIO_TYPE_LABELS[value] ?? value }))}
              value={draft.scenarioType}
              onChange={(value) => setDraft({ ...draft, scenarioType: (value as ScenarioType | null) ?? null })}
              clearable
              readOnly={!editable}
              error={errors.fields.scenarioType}
              data-testid="pr-type"
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 4 }}>
            <DatePickerInput
              type="range"
              label={`Period (${daysBetween(draft.dateRangeStart, draft.dateRangeEnd)} days)`}
              value={[draft.dateRangeStart, draft.dateRangeEnd]}
              onChange={([start, end]) => start && end && setDraft({ ...draft, dateRangeStart: start, dateRangeEnd: end })}
              valueFormat="MMM D, YYYY"
              allowSingleDateInRange
              readOnly={!editable}
              error={errors.fields.dateRangeStart ?? errors.fields.dateRangeEnd}
              data-testid="pr-period"
            />
          </Grid.Col>
          <Grid.Col span={12}>
            <Textarea
              label="Description"
              placeholder="What the promotion is for (optional)"
              autosize
              minRows={1}
              maxRows={4}
              value={draft.description}
              onChange={(event) => setDraft({ ...draft, description: event.currentTarget.value })}
              readOnly={!editable}
            />
          </Grid.Col>
        </Grid>
      </Panel>

      <Stack gap={6}>
        <Group justify="space-between">
          <Text fw={650}>Forecast KPIs</Text>
          <ComputationNote kpis={kpis} fetching={preview.isFetching || typing} />
        </Group>
        {preview.isError ? (
          <Alert color="red" variant="light" title="The KPIs could not be computed">
            {errorMessage(preview.error)}
          </Alert>
        ) : !ready ? (
          <Alert color="gray" variant="light">
            Choose a department for every mechanic to see the forecast.
          </Alert>
        ) : null}
        <KpiTiles kpis={kpis} loading={preview.isPending && ready} />
      </Stack>

      <Panel
        title="Mechanics"
        description="One line per department and channel: the discount, the customer segments it targets and notes. Drag a slider and the KPIs follow."
        testId="pr-mechanics"
      >
        {errors.fields.mechanics && (
          <Text size="sm" c="red.7" mb="xs">
            {errors.fields.mechanics}
          </Text>
        )}
        <MechanicsTable
          mechanics={draft.mechanics}
          onChange={(mechanics) => setDraft({ ...draft, mechanics })}
          departments={departments}
          segments={segmentOptions}
          forecasts={kpis?.perMechanic}
          readOnly={!editable}
        />
      </Panel>

      <BreakdownPanel kpis={kpis} />

      <ValidationPanel
        report={validation.data}
        loading={validation.isPending && Boolean(scenario)}
        error={validation.error}
        stale={validationStale}
        canRun={editable && Boolean(scenario)}
        running={validate.isPending}
        runError={validate.error}
        onRun={() => scenario && validate.mutate(scenario.id)}
        onApply={applyFix}
        unsaved={dirty}
      />

      <BriefPanel scenarioId={scenario?.id} canEdit={editable} />

      <Modal opened={confirmDelete} onClose={() => setConfirmDelete(false)} title="Delete this scenario?" centered>
        <Stack>
          <Text size="sm">
            “{scenario?.label}” and its KPIs, validation report and brief are deleted. Post-mortems of past promotions go with it. This cannot be undone.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmDelete(false)}>
              Keep it
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() =>
                scenario &&
                remove.mutate(scenario.id, {
                  onSuccess: () => {
                    setConfirmDelete(false);
                    navigate('/promotions/scenarios');
                  },
                })
              }
              data-testid="pr-delete-confirm"
            >
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
