import { Button, Checkbox, Group, Select, Skeleton, Stack, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChevronDown, IconChevronRight, IconPlus, IconSearch, IconSitemap, IconUsers } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorState } from '../../../components/error-state';
import { PageHeader } from '../../../components/page-header';
import { COACHING_ROLES, PERSON_STATUSES, type CoachingRole, type Hierarchy, type PersonStatus, type PersonSummary } from '../api-types';
import { itemsOf, useCoachingMe, useHierarchy, usePeople } from '../queries';
import { formatScore, ROLE_LABELS, STATUS_META } from '../shared/format';
import { EmptyPanel, Panel, RoleBadge, StatusBadge } from '../shared/ui';
import { PersonDrawer } from './person-drawer';

type HierarchyNode = { id: string; name: string; role: CoachingRole; status: PersonStatus; children: HierarchyNode[] };

/** The API's managers → leaders → agents as one tree; leaders without a manager and agents without a leader at the end. */
function treeOf(hierarchy: Hierarchy | undefined): HierarchyNode[] {
  if (!hierarchy) return [];
  const agent = (a: Hierarchy['agents'][number]): HierarchyNode => ({ id: a.id, name: a.name, role: 'AGENT', status: a.status, children: [] });
  const leader = (l: Hierarchy['teamLeaders'][number]): HierarchyNode => ({
    id: l.id,
    name: l.name,
    role: 'TEAM_LEADER',
    status: l.status,
    children: l.agents.map(agent),
  });
  return [
    ...hierarchy.managers.map((m) => ({ id: m.id, name: m.name, role: 'MANAGER' as const, status: m.status, children: m.teamLeaders.map(leader) })),
    ...hierarchy.teamLeaders.map(leader),
    ...hierarchy.agents.map(agent),
  ];
}

/** Nodes whose name matches, with their ancestors (so a match is shown in its place in the tree). */
function filterTree(nodes: HierarchyNode[], needle: string): HierarchyNode[] {
  if (!needle) return nodes;
  const lower = needle.toLowerCase();
  return nodes.flatMap((node) => {
    const children = filterTree(node.children ?? [], needle);
    if (node.name.toLowerCase().includes(lower) || children.length > 0)
      return [{ ...node, children: node.name.toLowerCase().includes(lower) ? node.children : children }];
    return [];
  });
}

function countAgents(node: HierarchyNode): number {
  return (node.role === 'AGENT' ? 1 : 0) + (node.children ?? []).reduce((sum, child) => sum + countAgents(child), 0);
}

export function PeoplePage() {
  const me = useCoachingMe();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [role, setRole] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [includeDeleted, setIncludeDeleted] = useState(false);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const hierarchy = useHierarchy();
  const people = usePeople({ q: debounced || null, role, status, includeDeleted });
  const rows = itemsOf<PersonSummary>(people.data);
  const canCreate = Boolean(me.data && (me.data.seesEverything || me.data.role === 'MANAGER'));
  const roots = useMemo(() => filterTree(treeOf(hierarchy.data), debounced), [hierarchy.data, debounced]);

  return (
    <Stack gap="lg" data-testid="co-people-page">
      <PageHeader
        title="People"
        description="The contact centre's hierarchy: managers, their team leaders and those leaders' agents. You see and edit the part below you. Deleting a person keeps their history; they leave the lists and teams."
        actions={
          canCreate ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid="co-person-new">
              Add person
            </Button>
          ) : undefined
        }
      />
      <Group gap="sm" align="flex-end">
        <TextInput
          leftSection={<IconSearch size={16} />}
          placeholder="Search by name, e-mail or employee id"
          w={320}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          data-testid="co-people-search"
        />
        <Select
          w={170}
          placeholder="Every role"
          clearable
          data={COACHING_ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }))}
          value={role}
          onChange={setRole}
          aria-label="Role"
        />
        <Select
          w={170}
          placeholder="Every status"
          clearable
          data={PERSON_STATUSES.map((value) => ({ value, label: STATUS_META[value].label }))}
          value={status}
          onChange={setStatus}
          aria-label="Status"
        />
        {me.data?.seesEverything && (
          <Checkbox label="Show deleted" checked={includeDeleted} onChange={(event) => setIncludeDeleted(event.currentTarget.checked)} mb={8} />
        )}
      </Group>

      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(260px, 340px) minmax(0, 1fr)', gap: 'var(--mantine-spacing-md)', alignItems: 'start' }}>
        <Panel title="Hierarchy" description="Managers → team leaders → agents." testId="co-people-tree">
          {hierarchy.isError ? (
            <ErrorState error={hierarchy.error} title="Could not load the hierarchy" />
          ) : hierarchy.isPending ? (
            <Skeleton h={240} />
          ) : roots.length === 0 ? (
            <Text size="sm" c="dimmed">
              {debounced ? 'Nobody matches the search.' : 'Nobody yet.'}
            </Text>
          ) : (
            <Stack gap={0}>
              {roots.map((node) => (
                <TreeNode key={node.id} node={node} depth={0} onOpen={setEditing} forceOpen={Boolean(debounced)} />
              ))}
            </Stack>
          )}
        </Panel>
        <div style={{ minWidth: 0 }}>
          {people.isError ? (
            <ErrorState error={people.error} title="Could not load people" onRetry={() => void people.refetch()} />
          ) : people.isPending ? (
            <Skeleton h={320} radius="md" />
          ) : rows.length === 0 ? (
            <EmptyPanel icon={IconUsers} title={debounced || role || status ? 'Nobody matches these filters' : 'No people yet'} testId="co-people-empty">
              {canCreate
                ? 'Add team leaders and agents with “Add person”, or import metrics with “create missing agents”.'
                : 'Your manager or an admin adds people.'}
            </EmptyPanel>
          ) : (
            <Panel title={`${rows.length} ${rows.length === 1 ? 'person' : 'people'}`} padding={0} testId="co-people-list">
              <Table.ScrollContainer minWidth={640} mah={720} type="native">
                <Table verticalSpacing={6} horizontalSpacing="sm" fz="sm" highlightOnHover stickyHeader data-testid="co-people-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Name</Table.Th>
                      <Table.Th>Role</Table.Th>
                      <Table.Th>Team leader</Table.Th>
                      <Table.Th>Manager</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th ta="right">Latest composite</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((person) => (
                      <Table.Tr
                        key={person.id}
                        className="co-clickable-row"
                        onClick={() => setEditing(person.id)}
                        data-testid="co-people-row"
                        style={{ opacity: person.deletedAt ? 0.55 : 1 }}
                      >
                        <Table.Td>
                          <Stack gap={0}>
                            <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
                              {person.name}
                              {person.deletedAt ? ' (deleted)' : ''}
                            </Text>
                            <Text size="xs" c="dimmed">
                              {person.employeeId ?? person.email ?? '—'}
                            </Text>
                          </Stack>
                        </Table.Td>
                        <Table.Td>
                          <RoleBadge role={person.role} size="sm" style={{ minWidth: 'max-content' }} />
                        </Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{person.teamLeaderName ?? '—'}</Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{person.managerName ?? '—'}</Table.Td>
                        <Table.Td>
                          <StatusBadge status={person.status} size="sm" style={{ minWidth: 'max-content' }} />
                        </Table.Td>
                        <Table.Td ta="right" className="co-num">
                          {person.role === 'AGENT' ? (
                            <Link to={`/coaching/agents/${person.id}`} onClick={(event) => event.stopPropagation()}>
                              {formatScore(person.latestComposite)}
                            </Link>
                          ) : (
                            '—'
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Panel>
          )}
        </div>
      </div>
      <PersonDrawer personId={editing === 'new' ? null : editing} creating={editing === 'new'} onClose={() => setEditing(null)} people={rows} />
    </Stack>
  );
}

function TreeNode({ node, depth, onOpen, forceOpen }: { node: HierarchyNode; depth: number; onOpen: (id: string) => void; forceOpen: boolean }) {
  const [open, setOpen] = useState(depth < 1);
  const children = node.children ?? [];
  const expanded = forceOpen || open;
  const agents = node.role === 'AGENT' ? 0 : countAgents(node);
  return (
    <>
      <Group gap={4} wrap="nowrap" pl={depth * 18} py={3} data-testid="co-tree-node" data-role={node.role}>
        {children.length > 0 ? (
          <UnstyledButton onClick={() => setOpen(!open)} aria-label={expanded ? 'Collapse' : 'Expand'} style={{ display: 'flex' }}>
            {expanded ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
          </UnstyledButton>
        ) : (
          <span style={{ width: 14, display: 'inline-block' }} />
        )}
        {node.role !== 'AGENT' && <IconSitemap size={14} color="var(--mantine-color-gray-6)" />}
        <UnstyledButton onClick={() => onOpen(node.id)} style={{ minWidth: 0 }}>
          <Text size="sm" fw={node.role === 'AGENT' ? 400 : 650} truncate c={node.status === 'TERMINATED' ? 'dimmed' : undefined}>
            {node.name}
          </Text>
        </UnstyledButton>
        {node.role !== 'AGENT' && (
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {agents > 0 ? `${agents} agent${agents === 1 ? '' : 's'}` : ROLE_LABELS[node.role].toLowerCase()}
          </Text>
        )}
        {node.status !== 'ACTIVE' && <StatusBadge status={node.status} size="xs" />}
      </Group>
      {expanded && children.map((child) => <TreeNode key={child.id} node={child} depth={depth + 1} onOpen={onOpen} forceOpen={forceOpen} />)}
    </>
  );
}
