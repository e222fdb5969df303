import { Alert, Button, Group, NumberInput, Select, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowRight } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { fieldErrorsFrom } from '../../../lib/field-errors';
import { errorMessage } from '../../../api';
import {
  ESCALATION_ACTIONS,
  type EscalationAction,
  type EscalationRule,
  type EscalationRuleInput,
  type KpiDefinition,
  TRIGGER_CONDITIONS,
  type TriggerCondition,
} from '../api-types';
import { useSaveEscalationRule } from '../queries';
import { ACTION_LABELS, LEVEL_NAMES, LEVELS, TRIGGER_LABELS } from '../shared/status';

const FIELDS = ['name', 'kpiDefinitionId', 'triggerCondition', 'durationHours', 'fromLevel', 'toLevel', 'action', 'isActive'] as const;
const ALL_KPIS = '__all__';

const levelOptions = LEVELS.map((level) => ({ value: String(level), label: `L${level} · ${LEVEL_NAMES[level]}` }));

export function RuleForm({ rule, kpis, onDone }: { rule: EscalationRule | null; kpis: KpiDefinition[]; onDone: () => void }) {
  const saveRule = useSaveEscalationRule();
  const [form, setForm] = useState<EscalationRuleInput>(() => ({
    name: rule?.name ?? '',
    kpiDefinitionId: rule?.kpiDefinitionId ?? null,
    triggerCondition: rule?.triggerCondition ?? 'status_red',
    durationHours: rule?.durationHours ?? 8,
    fromLevel: rule?.fromLevel ?? 0,
    toLevel: rule?.toLevel ?? 1,
    action: rule?.action ?? 'send_alert',
    isActive: rule?.isActive ?? true,
  }));
  const set = <K extends keyof EscalationRuleInput>(key: K, value: EscalationRuleInput[K]) => setForm((current) => ({ ...current, [key]: value }));
  const errors = fieldErrorsFrom(saveRule.error, FIELDS);
  const goesDown = form.toLevel < form.fromLevel;

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    saveRule.mutate(
      { id: rule?.id ?? null, input: { ...form, name: form.name?.trim() || null } },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: rule ? 'Escalation rule saved.' : 'Escalation rule created.' });
          onDone();
        },
      },
    );
  };

  return (
    <form onSubmit={handleSubmit} data-testid="sh-rule-form">
      <Stack gap="md">
        <TextInput
          label="Name"
          placeholder="e.g. Red for a shift → district manager"
          value={form.name ?? ''}
          onChange={(event) => set('name', event.currentTarget.value)}
          error={errors.fields.name}
        />
        <SimpleGrid cols={2}>
          <Select
            label="Trigger"
            allowDeselect={false}
            value={form.triggerCondition}
            data={TRIGGER_CONDITIONS.map((value) => ({ value, label: TRIGGER_LABELS[value] }))}
            onChange={(value) => value && set('triggerCondition', value as TriggerCondition)}
            error={errors.fields.triggerCondition}
            data-testid="sh-rule-trigger"
          />
          <NumberInput
            label="After (hours)"
            description="How long the condition must last"
            min={0}
            max={24 * 60}
            allowDecimal={false}
            value={form.durationHours}
            onChange={(value) => set('durationHours', typeof value === 'number' ? value : Number(value) || 0)}
            error={errors.fields.durationHours}
          />
        </SimpleGrid>
        <Stack gap={4}>
          <Group gap="xs" wrap="nowrap" align="flex-end">
            <Select
              label="From level"
              allowDeselect={false}
              value={String(form.fromLevel)}
              data={levelOptions}
              onChange={(value) => value && set('fromLevel', Number(value))}
              error={errors.fields.fromLevel}
              style={{ flex: 1 }}
            />
            <IconArrowRight size={18} style={{ marginBottom: 10 }} color="var(--mantine-color-gray-5)" />
            <Select
              label="To level"
              allowDeselect={false}
              value={String(form.toLevel)}
              data={levelOptions}
              onChange={(value) => value && set('toLevel', Number(value))}
              error={errors.fields.toLevel}
              style={{ flex: 1 }}
            />
          </Group>
          {goesDown && (
            <Text size="xs" c="orange.8">
              The target level is below the starting level: escalations normally move up the chain.
            </Text>
          )}
        </Stack>
        <SimpleGrid cols={2}>
          <Select
            label="Action"
            allowDeselect={false}
            value={form.action}
            data={ESCALATION_ACTIONS.map((value) => ({ value, label: ACTION_LABELS[value] }))}
            onChange={(value) => value && set('action', value as EscalationAction)}
            error={errors.fields.action}
          />
          <Select
            label="KPI"
            allowDeselect={false}
            searchable
            value={form.kpiDefinitionId ?? ALL_KPIS}
            data={[{ value: ALL_KPIS, label: 'All KPIs' }, ...kpis.map((kpi) => ({ value: kpi.id, label: kpi.name }))]}
            onChange={(value) => set('kpiDefinitionId', !value || value === ALL_KPIS ? null : value)}
            error={errors.fields.kpiDefinitionId}
          />
        </SimpleGrid>
        <Switch label="Active" checked={form.isActive} onChange={(event) => set('isActive', event.currentTarget.checked)} />
        {saveRule.isError && (
          <Alert color="red" variant="light">
            {errors.other.length > 0
              ? errors.other.join(' · ')
              : Object.keys(errors.fields).length > 0
                ? 'Check the highlighted fields.'
                : errorMessage(saveRule.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={saveRule.isPending} data-testid="sh-rule-save">
            {rule ? 'Save rule' : 'Create rule'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
