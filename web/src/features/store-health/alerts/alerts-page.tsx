import { Affix, Anchor, Badge, Button, Checkbox, CloseButton, Group, Paper, Select, Stack, Text, TextInput, Transition } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBellCheck, IconChecks } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../../api';
import { DataTable, type DataTableColumn } from '../../../components/data-table';
import { DateTimeText } from '../../../components/date-time-text';
import { PageHeader } from '../../../components/page-header';
import { useListParams } from '../../../components/use-list-params';
import { useSession } from '../../auth/session';
import { ALERT_SEVERITIES, ALERT_STATUSES, type Alert } from '../api-types';
import { useAcknowledgeAlerts, useAlerts, useDistricts, useKpis, useStore } from '../queries';
import { AcknowledgeButton, isOpenAlert, ResolveButton } from '../shared/alert-actions';
import { ALERT_STATUS_META, canAct, SEVERITY_META } from '../shared/status';
import { AlertStatusBadge, LevelBadge, SeverityBadge, SlaCountdown } from '../shared/status-ui';
import { AlertDetails } from './alert-details';

const FILTERS = ['status', 'severity', 'scope', 'districtId', 'storeId', 'kpiId'] as const;
/** The inbox opens on what still needs someone; "all" drops the status filter. */
const DEFAULT_STATUS = 'active';

export function AlertsPage() {
  const me = useSession();
  const allowed = canAct(me.role);
  const list = useListParams({ defaultSort: '', filterKeys: FILTERS });
  const statusFilter = list.params.filters.status || DEFAULT_STATUS;
  const query = useMemo(() => ({ ...list.query, status: statusFilter === 'all' ? undefined : statusFilter }), [list.query, statusFilter]);
  const alerts = useAlerts(query);
  const districts = useDistricts();
  const kpis = useKpis();
  const storeFilter = useStore(list.params.filters.storeId || undefined);
  const acknowledge = useAcknowledgeAlerts();
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [note, setNote] = useState('');

  const rows = alerts.data?.data ?? [];
  const selectable = rows.filter((alert) => alert.status === 'active');
  // Selection only spans the visible page; drop ids that left it after a refetch or filter change.
  useEffect(() => {
    setSelected((current) => {
      const visible = new Set(rows.filter((alert) => alert.status === 'active').map((alert) => alert.id));
      const next = new Set([...current].filter((id) => visible.has(id)));
      return next.size === current.size ? current : next;
    });
  }, [rows]);

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allSelected = selectable.length > 0 && selectable.every((alert) => selected.has(alert.id));

  const handleBulkAcknowledge = () =>
    acknowledge.mutate(
      { ids: [...selected], note: note.trim() || undefined },
      {
        onSuccess: ({ acknowledged, failures }) => {
          if (acknowledged > 0) notifications.show({ color: 'blue', message: `Acknowledged ${acknowledged} alert${acknowledged === 1 ? '' : 's'}.` });
          if (failures.length > 0)
            notifications.show({ color: 'red', title: `${failures.length} could not be acknowledged`, message: errorMessage(failures[0]) });
          setSelected(new Set());
          setNote('');
        },
      },
    );

  const columns: DataTableColumn<Alert>[] = [
    ...(allowed
      ? [
          {
            key: 'select',
            width: 36,
            header: (
              <Checkbox
                size="xs"
                aria-label="Select all active alerts on this page"
                checked={allSelected}
                indeterminate={!allSelected && selected.size > 0}
                disabled={selectable.length === 0}
                onChange={() => setSelected(allSelected ? new Set() : new Set(selectable.map((alert) => alert.id)))}
                data-testid="sh-alerts-select-all"
              />
            ),
            render: (alert: Alert) =>
              alert.status === 'active' ? (
                <Checkbox
                  size="xs"
                  aria-label={`Select ${alert.title}`}
                  checked={selected.has(alert.id)}
                  onClick={(event) => event.stopPropagation()}
                  onChange={() => toggle(alert.id)}
                  data-testid={`sh-select-${alert.id}`}
                />
              ) : null,
          } satisfies DataTableColumn<Alert>,
        ]
      : []),
    { key: 'severity', header: 'Severity', width: 104, sortField: 'severity', render: (alert) => <SeverityBadge severity={alert.severity} /> },
    {
      key: 'alert',
      header: 'Alert',
      render: (alert) => (
        <Stack gap={2} miw={240}>
          <Text size="sm" fw={600} lineClamp={1}>
            {alert.title}
          </Text>
          <Text size="xs" c="dimmed" lineClamp={1}>
            {alert.scope === 'district' ? (
              <Badge size="xs" variant="outline" color="violet" radius="sm" tt="none" mr={6} component="span">
                District
              </Badge>
            ) : null}
            {alert.storeId ? (
              <Anchor component={Link} to={`/store-health/stores/${alert.storeId}`} size="xs" onClick={(event) => event.stopPropagation()}>
                {alert.storeCode} · {alert.storeName}
              </Anchor>
            ) : (
              alert.districtName
            )}
            {alert.kpiName ? ` · ${alert.kpiName}` : ''} · <DateTimeText value={alert.alertDate} relative size="xs" c="dimmed" />
          </Text>
        </Stack>
      ),
    },
    {
      key: 'level',
      header: 'Level · days',
      width: 116,
      sortField: 'daysInCondition',
      render: (alert) => (
        <Group gap={6} wrap="nowrap">
          <LevelBadge level={alert.escalationLevel} compact />
          <Text size="sm" fw={alert.daysInCondition >= 3 ? 700 : 400} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
            {alert.daysInCondition} d
          </Text>
        </Group>
      ),
    },
    {
      key: 'sla',
      header: 'SLA',
      width: 124,
      sortField: 'expiresAt',
      render: (alert) => <SlaCountdown expiresAt={alert.expiresAt} done={!isOpenAlert(alert)} />,
    },
    // With the default "active" filter every row has the same status; the column only earns its space otherwise.
    ...(statusFilter === 'active'
      ? []
      : [
          {
            key: 'status',
            header: 'Status',
            width: 130,
            render: (alert: Alert) => <AlertStatusBadge status={alert.status} />,
          } satisfies DataTableColumn<Alert>,
        ]),
    ...(allowed
      ? [
          {
            key: 'actions',
            header: '',
            align: 'right',
            width: 150,
            render: (alert: Alert) => (
              <Group gap={2} justify="flex-end" wrap="nowrap">
                <AcknowledgeButton alert={alert} size="compact-xs" />
                <ResolveButton alert={alert} size="compact-xs" iconOnly />
              </Group>
            ),
          } satisfies DataTableColumn<Alert>,
        ]
      : []),
  ];

  const districtOptions = (districts.data?.data ?? []).map((district) => ({ value: district.id, label: district.name }));
  const kpiOptions = (kpis.data?.data ?? []).map((kpi) => ({ value: kpi.id, label: kpi.name }));
  const storeId = list.params.filters.storeId;

  return (
    <Stack gap="lg">
      <PageHeader
        title="Alerts"
        description="Every alert raised by the daily evaluation. Critical alerts have been red for days; the SLA countdown runs in store opening hours and escalates when it hits zero."
      />
      <DataTable
        testId="sh-alerts-table"
        columns={columns}
        query={alerts}
        list={list}
        getRowKey={(alert) => alert.id}
        searchPlaceholder="Search alerts…"
        minWidth={860}
        filters={
          <>
            <Select
              aria-label="Status"
              w={150}
              allowDeselect={false}
              value={statusFilter}
              data={[...ALERT_STATUSES.map((status) => ({ value: status, label: ALERT_STATUS_META[status].label })), { value: 'all', label: 'Any status' }]}
              onChange={(status) => list.update({ filters: { status: status === DEFAULT_STATUS ? null : status } })}
              data-testid="sh-alerts-filter-status"
            />
            <Select
              aria-label="Severity"
              placeholder="Any severity"
              clearable
              w={140}
              value={list.params.filters.severity || null}
              data={ALERT_SEVERITIES.map((severity) => ({ value: severity, label: SEVERITY_META[severity].label }))}
              onChange={(severity) => list.update({ filters: { severity } })}
              data-testid="sh-alerts-filter-severity"
            />
            <Select
              aria-label="Scope"
              placeholder="Any scope"
              clearable
              w={130}
              value={list.params.filters.scope || null}
              data={[
                { value: 'store', label: 'Store' },
                { value: 'district', label: 'District' },
              ]}
              onChange={(scope) => list.update({ filters: { scope } })}
            />
            <Select
              aria-label="District"
              placeholder="Any district"
              clearable
              searchable
              w={170}
              value={list.params.filters.districtId || null}
              data={districtOptions}
              onChange={(districtId) => list.update({ filters: { districtId } })}
              data-testid="sh-alerts-filter-district"
            />
            <Select
              aria-label="KPI"
              placeholder="Any KPI"
              clearable
              searchable
              w={160}
              value={list.params.filters.kpiId || null}
              data={kpiOptions}
              onChange={(kpiId) => list.update({ filters: { kpiId } })}
            />
            {storeId && (
              <Badge
                size="lg"
                variant="light"
                radius="sm"
                tt="none"
                fw={500}
                rightSection={<CloseButton size="xs" aria-label="Clear store filter" onClick={() => list.update({ filters: { storeId: null } })} />}
              >
                Store {storeFilter.data ? `${storeFilter.data.storeCode} · ${storeFilter.data.name}` : ''}
              </Badge>
            )}
          </>
        }
        empty={{
          title: statusFilter === 'active' ? 'No active alerts' : 'No alerts',
          description: statusFilter === 'active' ? 'Every alert has been acknowledged or resolved. Nice.' : 'Nothing matches these filters.',
          icon: <IconBellCheck size={22} />,
        }}
        expandable={{ isExpandable: () => true, render: (alert) => <AlertDetails alert={alert} /> }}
      />

      <Affix position={{ bottom: 24, left: 0, right: 0 }} zIndex={150}>
        <Transition mounted={allowed && selected.size > 0} transition="slide-up" duration={150}>
          {(styles) => (
            <Group justify="center" style={styles}>
              <Paper shadow="lg" radius="md" withBorder p="sm" data-testid="sh-bulk-bar">
                <Group gap="sm" wrap="nowrap">
                  <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
                    {selected.size} selected
                  </Text>
                  <TextInput
                    size="xs"
                    w={260}
                    placeholder="Note (optional), e.g. “Calling the stores now”"
                    value={note}
                    onChange={(event) => setNote(event.currentTarget.value)}
                  />
                  <Button
                    size="xs"
                    leftSection={<IconChecks size={14} />}
                    loading={acknowledge.isPending}
                    onClick={handleBulkAcknowledge}
                    data-testid="sh-bulk-ack"
                  >
                    Acknowledge {selected.size}
                  </Button>
                  <Button size="xs" variant="subtle" color="gray" onClick={() => setSelected(new Set())}>
                    Clear
                  </Button>
                </Group>
              </Paper>
            </Group>
          )}
        </Transition>
      </Affix>
    </Stack>
  );
}
