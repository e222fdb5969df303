import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Divider,
  Drawer,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTrash } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../../api';
import { useOrgTimeZone } from '../../auth/session';
import {
  COACHING_ROLES,
  LEARNING_STYLES,
  PERSON_STATUSES,
  type AgentProfile,
  type CoachingRole,
  type LearningStyle,
  type PersonInput,
  type PersonStatus,
  type PersonSummary,
  type ProfileInput,
} from '../api-types';
import { itemsOf, useCoachingMe, useCreatePerson, useDeletePerson, usePeople, usePerson, useSaveProfile, useUpdatePerson } from '../queries';
import { ROLE_LABELS, STATUS_META, titleCase } from '../shared/format';
import { ConfirmDialog } from '../shared/ui';

const TIME_ZONES: string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf(key: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Asia/Manila'];
  }
})();

type Form = {
  name: string;
  role: CoachingRole;
  email: string;
  employeeId: string;
  department: string;
  teamLeaderId: string | null;
  managerId: string | null;
  status: PersonStatus;
  learningStyle: string | null;
  timezone: string;
  hireDate: string;
};

const EMPTY: Form = {
  name: '',
  role: 'AGENT',
  email: '',
  employeeId: '',
  department: '',
  teamLeaderId: null,
  managerId: null,
  status: 'ACTIVE',
  learningStyle: null,
  timezone: 'UTC',
  hireDate: '',
};

function formOf(person: PersonSummary): Form {
  return {
    name: person.name,
    role: person.role,
    email: person.email ?? '',
    employeeId: person.employeeId ?? '',
    department: person.department ?? '',
    teamLeaderId: person.teamLeaderId,
    managerId: person.managerId,
    status: person.status,
    learningStyle: person.learningStyle,
    timezone: person.timezone || 'UTC',
    hireDate: person.hireDate ?? '',
  };
}

const blank = (value: string) => (value.trim() === '' ? null : value.trim());

export function PersonDrawer({ personId, creating, onClose }: { personId: string | null; creating: boolean; onClose: () => void; people?: PersonSummary[] }) {
  const opened = creating || personId !== null;
  const me = useCoachingMe();
  const orgTimeZone = useOrgTimeZone();
  const detail = usePerson(personId);
  const leaders = usePeople({ role: 'TEAM_LEADER' }, opened);
  const managers = usePeople({ role: 'MANAGER' }, opened);
  const create = useCreatePerson();
  const update = useUpdatePerson();
  const remove = useDeletePerson();
  const [form, setForm] = useState<Form>(EMPTY);
  const [confirming, setConfirming] = useState(false);
  const person = creating ? null : (detail.data ?? null);

  useEffect(() => {
    if (creating) {
      setForm({ ...EMPTY, timezone: orgTimeZone ?? 'UTC', managerId: me.data?.role === 'MANAGER' ? (me.data.person?.id ?? null) : null });
      create.reset();
    } else if (person) {
      setForm(formOf(person));
      update.reset();
    }
    // Reset the form when another person opens, not on every refetch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [creating, person?.id, detail.dataUpdatedAt]);

  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((current) => ({ ...current, [key]: value }));
  const leaderOptions = itemsOf<PersonSummary>(leaders.data)
    .filter((leader) => !leader.deletedAt && leader.id !== personId)
    .map((leader) => ({ value: leader.id, label: leader.name }));
  const managerOptions = itemsOf<PersonSummary>(managers.data)
    .filter((manager) => !manager.deletedAt && manager.id !== personId)
    .map((manager) => ({ value: manager.id, label: manager.name }));
  const roles = me.data?.seesEverything ? COACHING_ROLES : (['TEAM_LEADER', 'AGENT'] as const);
  const canDelete = Boolean(
    person && !person.deletedAt && me.data && (me.data.seesEverything || me.data.role === 'MANAGER') && person.id !== me.data.person?.id,
  );

  const input = (): PersonInput => ({
    name: form.name.trim(),
    role: form.role,
    email: blank(form.email),
    employeeId: blank(form.employeeId),
    department: blank(form.department),
    teamLeaderId: form.role === 'AGENT' ? form.teamLeaderId : null,
    // An agent's manager is their team leader's: the API derives it.
    ...(form.role === 'AGENT' ? {} : { managerId: form.role === 'TEAM_LEADER' ? form.managerId : null }),
    status: form.status,
    learningStyle: form.learningStyle,
    timezone: form.timezone,
    hireDate: blank(form.hireDate),
  });

  const save = () => {
    if (creating)
      create.mutate(input(), {
        onSuccess: (created) => {
          notifications.show({ color: 'green', title: 'Person added', message: `${created?.name ?? form.name} is in the hierarchy.` });
          onClose();
        },
      });
    else if (personId)
      update.mutate(
        { id: personId, input: input() },
        { onSuccess: () => notifications.show({ color: 'green', title: 'Saved', message: `${form.name} is up to date.` }) },
      );
  };

  const mutation = creating ? create : update;
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="lg"
      title={<Text fw={700}>{creating ? 'Add a person' : (person?.name ?? 'Person')}</Text>}
      data-testid="co-person-drawer"
    >
      {!creating && detail.isPending ? (
        <Skeleton h={400} />
      ) : !creating && detail.isError ? (
        <Alert color="red" variant="light">
          {errorMessage(detail.error)}
        </Alert>
      ) : (
        <Stack gap="md">
          {person?.role === 'AGENT' && (
            <Anchor component={Link} to={`/coaching/agents/${person.id}`} size="sm">
              Open the scorecard
            </Anchor>
          )}
          <SimpleGrid cols={2} spacing="sm">
            <TextInput label="Name" required value={form.name} onChange={(event) => set('name', event.currentTarget.value)} data-testid="co-person-name" />
            <Select
              label="Role"
              data={roles.map((value) => ({ value, label: ROLE_LABELS[value] }))}
              value={form.role}
              allowDeselect={false}
              onChange={(value) => value && set('role', value as CoachingRole)}
              data-testid="co-person-role"
            />
            <TextInput label="E-mail" value={form.email} onChange={(event) => set('email', event.currentTarget.value)} />
            <TextInput
              label="Employee id"
              value={form.employeeId}
              onChange={(event) => set('employeeId', event.currentTarget.value)}
              data-testid="co-person-employee-id"
            />
            {form.role === 'AGENT' && (
              <Select
                label="Team leader"
                placeholder="No team leader"
                data={leaderOptions}
                value={form.teamLeaderId}
                onChange={(value) => set('teamLeaderId', value)}
                clearable
                searchable
                data-testid="co-person-leader"
              />
            )}
            {form.role === 'TEAM_LEADER' && (
              <Select
                label="Manager"
                placeholder="No manager"
                data={managerOptions}
                value={form.managerId}
                onChange={(value) => set('managerId', value)}
                clearable
                searchable
                data-testid="co-person-manager"
              />
            )}
            <Select
              label="Status"
              data={PERSON_STATUSES.map((value) => ({ value, label: STATUS_META[value].label }))}
              value={form.status}
              allowDeselect={false}
              onChange={(value) => value && set('status', value as PersonStatus)}
              data-testid="co-person-status"
            />
            <Select
              label="Learning style"
              placeholder="Not known"
              data={LEARNING_STYLES.map((value) => ({ value, label: titleCase(value) }))}
              value={form.learningStyle}
              onChange={(value) => set('learningStyle', value)}
              clearable
            />
            <Select
              label="Time zone"
              data={TIME_ZONES}
              value={form.timezone}
              searchable
              allowDeselect={false}
              onChange={(value) => value && set('timezone', value)}
            />
            <TextInput label="Department" value={form.department} onChange={(event) => set('department', event.currentTarget.value)} />
            <TextInput label="Hire date" placeholder="YYYY-MM-DD" value={form.hireDate} onChange={(event) => set('hireDate', event.currentTarget.value)} />
          </SimpleGrid>
          {mutation.isError && (
            <Alert color="red" variant="light" data-testid="co-person-error">
              {errorMessage(mutation.error)}
            </Alert>
          )}
          <Group justify="space-between">
            {canDelete ? (
              <Button
                variant="subtle"
                color="red"
                leftSection={<IconTrash size={16} />}
                onClick={() => setConfirming(true)}
                loading={remove.isPending}
                data-testid="co-person-delete"
              >
                Delete
              </Button>
            ) : (
              <span />
            )}
            <Button onClick={save} disabled={form.name.trim() === ''} loading={mutation.isPending} data-testid="co-person-save">
              {creating ? 'Add person' : 'Save'}
            </Button>
          </Group>
          {person && (
            <ConfirmDialog
              opened={confirming}
              title={`Delete ${person.name}?`}
              confirmLabel="Delete"
              onClose={() => setConfirming(false)}
              loading={remove.isPending}
              error={remove.isError ? errorMessage(remove.error) : null}
              testId="co-person-delete-dialog"
              onConfirm={() =>
                remove.mutate(person.id, {
                  onSuccess: () => {
                    setConfirming(false);
                    notifications.show({ color: 'green', title: 'Deleted', message: `${person.name} was removed from the hierarchy.` });
                    onClose();
                  },
                })
              }
            >
              {person.name} leaves the lists and teams. Their metrics, sessions and plans stay in the history (an admin still sees them with “Show deleted”).
            </ConfirmDialog>
          )}
          {person?.role === 'AGENT' && !person.deletedAt && (
            <>
              <Divider label="Coaching profile" labelPosition="left" />
              <ProfileEditor agentId={person.id} profile={detail.data?.profile ?? null} fallbackStyle={form.learningStyle} />
            </>
          )}
        </Stack>
      )}
    </Drawer>
  );
}

type ProfileForm = {
  learningStyle: LearningStyle;
  preferredFeedbackMethod: string;
  coreStrengths: string[];
  developmentAreas: string[];
  primaryMotivators: string[];
  demotivators: string[];
  respondsWellTo: string[];
  bestCoachingTime: string;
  preferredSessionLength: number | null;
  careerAspirations: string;
  personalGoals: string;
  peerComparisonOptIn: boolean;
};

function profileFormOf(profile: AgentProfile | null, fallbackStyle: string | null): ProfileForm {
  return {
    learningStyle: (profile?.learningStyle ?? (LEARNING_STYLES.includes(fallbackStyle as LearningStyle) ? fallbackStyle : 'VISUAL')) as LearningStyle,
    preferredFeedbackMethod: profile?.preferredFeedbackMethod ?? '',
    coreStrengths: profile?.coreStrengths ?? [],
    developmentAreas: profile?.developmentAreas ?? [],
    primaryMotivators: profile?.primaryMotivators ?? [],
    demotivators: profile?.demotivators ?? [],
    respondsWellTo: profile?.respondsWellTo ?? [],
    bestCoachingTime: profile?.bestCoachingTime ?? '',
    preferredSessionLength: profile?.preferredSessionLength ?? null,
    careerAspirations: profile?.careerAspirations ?? '',
    personalGoals: profile?.personalGoals ?? '',
    peerComparisonOptIn: profile?.peerComparisonOptIn ?? true,
  };
}

function ProfileEditor({ agentId, profile, fallbackStyle }: { agentId: string; profile: AgentProfile | null; fallbackStyle: string | null }) {
  const save = useSaveProfile();
  const initial = useMemo(() => profileFormOf(profile, fallbackStyle), [profile, fallbackStyle]);
  const [form, setForm] = useState<ProfileForm>(initial);
  useEffect(() => setForm(initial), [initial]);
  const set = <K extends keyof ProfileForm>(key: K, value: ProfileForm[K]) => setForm((current) => ({ ...current, [key]: value }));
  const submit = () => {
    const input: ProfileInput = {
      ...form,
      preferredFeedbackMethod: blank(form.preferredFeedbackMethod),
      bestCoachingTime: blank(form.bestCoachingTime),
      careerAspirations: blank(form.careerAspirations),
      personalGoals: blank(form.personalGoals),
    };
    save.mutate(
      { id: agentId, input },
      { onSuccess: () => notifications.show({ color: 'green', title: 'Profile saved', message: 'Session prep uses it from now on.' }) },
    );
  };
  return (
    <Stack gap="sm" data-testid="co-profile-editor">
      {!profile?.exists && (
        <Text size="xs" c="dimmed">
          No profile yet: what you fill in here shapes the suggested topics of the session prep.
        </Text>
      )}
      <SimpleGrid cols={2} spacing="sm">
        <Select
          label="Learning style"
          data={LEARNING_STYLES.map((value) => ({ value, label: titleCase(value) }))}
          value={form.learningStyle}
          allowDeselect={false}
          onChange={(value) => value && set('learningStyle', value as LearningStyle)}
        />
        <TextInput
          label="Preferred feedback"
          placeholder="e.g. written summary"
          value={form.preferredFeedbackMethod}
          onChange={(event) => set('preferredFeedbackMethod', event.currentTarget.value)}
        />
        <TagsInput label="Strengths" value={form.coreStrengths} onChange={(value) => set('coreStrengths', value)} />
        <TagsInput label="Development areas" value={form.developmentAreas} onChange={(value) => set('developmentAreas', value)} />
        <TagsInput label="Motivators" value={form.primaryMotivators} onChange={(value) => set('primaryMotivators', value)} />
        <TagsInput label="Demotivators" value={form.demotivators} onChange={(value) => set('demotivators', value)} />
        <TagsInput label="Responds well to" value={form.respondsWellTo} onChange={(value) => set('respondsWellTo', value)} />
        <TextInput
          label="Best coaching time"
          placeholder="e.g. Tuesday mornings"
          value={form.bestCoachingTime}
          onChange={(event) => set('bestCoachingTime', event.currentTarget.value)}
        />
        <NumberInput
          label="Preferred session length (min)"
          min={5}
          max={240}
          value={form.preferredSessionLength ?? ''}
          onChange={(value) => set('preferredSessionLength', typeof value === 'number' ? value : null)}
        />
      </SimpleGrid>
      <Textarea
        label="Career aspirations"
        autosize
        minRows={2}
        value={form.careerAspirations}
        onChange={(event) => set('careerAspirations', event.currentTarget.value)}
      />
      <Textarea label="Personal goals" autosize minRows={2} value={form.personalGoals} onChange={(event) => set('personalGoals', event.currentTarget.value)} />
      <Checkbox
        label="Compare with peers (percentiles shown to the agent)"
        checked={form.peerComparisonOptIn}
        onChange={(event) => set('peerComparisonOptIn', event.currentTarget.checked)}
      />
      {save.isError && (
        <Alert color="red" variant="light">
          {errorMessage(save.error)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="light" onClick={submit} loading={save.isPending} data-testid="co-profile-save">
          Save profile
        </Button>
      </Group>
    </Stack>
  );
}
