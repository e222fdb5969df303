import { Alert, Anchor, Badge, Button, Group, RingProgress, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { IconChecks, IconWand } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../../api';
import { DateTimeText } from '../../../components/date-time-text';
import type { ValidationIssue, ValidationReport } from '../api-types';
import { Panel, SEVERITY_COLORS, VALIDATION_META, ValidationBadge } from '../shared/ui';
import { fixFor } from './validation-fixes';

const SEVERITY_ORDER: Record<string, number> = { blocker: 0, high: 1, medium: 2, low: 3 };

export function ValidationPanel({
  report,
  loading,
  error,
  stale,
  canRun,
  running,
  runError,
  onRun,
  onApply,
  unsaved,
}: {
  report: ValidationReport | null | undefined;
  loading: boolean;
  error: unknown;
  stale: boolean;
  canRun: boolean;
  running: boolean;
  runError: unknown;
  onRun: () => void;
  onApply: (issue: ValidationIssue) => void;
  unsaved: boolean;
}) {
  const issues = [...(report?.issues ?? [])].sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9));
  const meta = report ? VALIDATION_META[report.status] : null;
  return (
    <Panel
      title="Validation"
      description={
        <>
          Go / no-go against the organization&apos;s{' '}
          <Anchor component={Link} to="/promotions/settings" size="xs">
            rules
          </Anchor>
          : margin floor, maximum discount, overlapping promotions, cannibalisation and distance to target.
        </>
      }
      testId="pr-validation"
      actions={
        canRun ? (
          <Tooltip label="Save the scenario first" disabled={!unsaved} withArrow>
            <Button size="xs" leftSection={<IconChecks size={14} />} onClick={onRun} loading={running} disabled={unsaved} data-testid="pr-validate">
              {report ? 'Validate again' : 'Validate'}
            </Button>
          </Tooltip>
        ) : undefined
      }
    >
      {Boolean(error) && (
        <Alert color="red" variant="light">
          {errorMessage(error)}
        </Alert>
      )}
      {Boolean(runError) && (
        <Alert color="red" variant="light" mb="sm">
          {errorMessage(runError)}
        </Alert>
      )}
      {loading && !report && (
        <Text size="sm" c="dimmed">
          Loading…
        </Text>
      )}
      {!loading && !report && !error && (
        <Text size="sm" c="dimmed">
          Not validated yet. {unsaved ? 'Save the scenario, then validate it.' : 'Validate to get PASS, WARN or BLOCK with suggested fixes.'}
        </Text>
      )}
      {report && meta && (
        <Stack gap="sm">
          <Group gap="md" wrap="nowrap">
            <RingProgress
              size={74}
              thickness={7}
              roundCaps
              sections={[{ value: report.overallScore ?? 0, color: meta.color }]}
              label={
                <Text ta="center" fw={750} fz="md" data-testid="pr-validation-score">
                  {report.overallScore ?? '—'}
                </Text>
              }
            />
            <Stack gap={4}>
              <Group gap="xs">
                <ValidationBadge status={report.status} size="lg" data-testid="pr-validation-status" />
                {stale && (
                  <Badge variant="outline" color="gray" radius="sm" tt="none">
                    Edited since — validate again
                  </Badge>
                )}
              </Group>
              <Text size="sm">{meta.hint}</Text>
              <Text size="xs" c="dimmed">
                Score {report.overallScore ?? '—'}/100 · checked{' '}
                <DateTimeText value={report.updatedAt ?? report.createdAt} relative size="xs" c="dimmed" span />
              </Text>
            </Stack>
          </Group>
          {issues.length === 0 ? (
            <Text size="sm" c="teal.8">
              No issues: every rule passes.
            </Text>
          ) : (
            <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xs" data-testid="pr-validation-issues">
              {issues.map((issue, index) => {
                const fix = fixFor(issue);
                return (
                  <Group
                    key={`${issue.type}-${index}`}
                    gap="sm"
                    align="flex-start"
                    wrap="nowrap"
                    p="xs"
                    style={{
                      borderLeft: `3px solid var(--mantine-color-${SEVERITY_COLORS[issue.severity] ?? 'gray'}-6)`,
                      background: 'var(--mantine-color-gray-0)',
                      borderRadius: 4,
                    }}
                  >
                    <Badge color={SEVERITY_COLORS[issue.severity] ?? 'gray'} variant="light" radius="sm" size="sm" w={72} style={{ flexShrink: 0 }}>
                      {issue.severity}
                    </Badge>
                    <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                      <Text size="sm" fw={600}>
                        {issue.message}
                      </Text>
                      {issue.suggested_fix && (
                        <Text size="sm" c="dimmed">
                          → {issue.suggested_fix}
                        </Text>
                      )}
                      <Text size="xs" c="dimmed">
                        {issue.type.replace(/_/g, ' ')}
                        {issue.affected_department ? ` · ${issue.affected_department}` : ''}
                        {issue.affected_channel ? ` ${issue.affected_channel}` : ''}
                      </Text>
                    </Stack>
                    {fix && canRun && (
                      <Button
                        size="compact-xs"
                        variant="light"
                        color="pink"
                        leftSection={<IconWand size={12} />}
                        onClick={() => onApply(issue)}
                        style={{ flexShrink: 0 }}
                        data-testid={`pr-apply-fix-${index}`}
                      >
                        {fix.label}
                      </Button>
                    )}
                  </Group>
                );
              })}
            </SimpleGrid>
          )}
        </Stack>
      )}
    </Panel>
  );
}
