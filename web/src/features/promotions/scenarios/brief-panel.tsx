import { Alert, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { IconDeviceFloppy, IconSparkles } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../api';
import type { CreativeBrief } from '../api-types';
import { useBrief, useGenerateBrief, useSaveBrief } from '../queries';
import { Panel } from '../shared/ui';

type Asset = { type?: string; headline?: string; subheadline?: string; cta?: string; product_focus?: string[]; [extra: string]: unknown };

const obj = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

type Form = { primary: string; secondary: string; messages: string; tone: string; demographics: string; legal: string; brand: string; assets: Asset[] };

function formOf(brief: CreativeBrief): Form {
  const b = obj(brief.brief);
  const objectives = obj(b.objectives);
  const audience = obj(b.target_audience);
  const mandatory = obj(b.mandatory_elements);
  return {
    primary: str(objectives.primary),
    secondary: strings(objectives.secondary).join('\n'),
    messages: strings(b.key_messages).join('\n'),
    tone: str(b.tone),
    demographics: str(audience.demographics),
    legal: strings(mandatory.legal).join('\n'),
    brand: strings(mandatory.brand).join('\n'),
    assets: (brief.assets ?? []).map((asset) => ({ ...(asset as Asset) })),
  };
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

export function BriefPanel({ scenarioId, canEdit }: { scenarioId: string | undefined; canEdit: boolean }) {
  const brief = useBrief(scenarioId);
  const generate = useGenerateBrief();
  const save = useSaveBrief();
  const [form, setForm] = useState<Form | null>(null);
  const data = brief.data ?? null;

  useEffect(() => {
    setForm(data ? formOf(data) : null);
  }, [data]);

  const dirty = Boolean(data && form && JSON.stringify(formOf(data)) !== JSON.stringify(form));

  const handleSave = () => {
    if (!data || !form || !scenarioId) return;
    const b = obj(data.brief);
    const next = {
      ...b,
      objectives: { ...obj(b.objectives), primary: form.primary, secondary: lines(form.secondary) },
      target_audience: { ...obj(b.target_audience), demographics: form.demographics },
      key_messages: lines(form.messages),
      tone: form.tone,
      mandatory_elements: { ...obj(b.mandatory_elements), legal: lines(form.legal), brand: lines(form.brand) },
    };
    save.mutate({ id: scenarioId, brief: next, assets: form.assets });
  };

  return (
    <Panel
      title="Creative brief"
      description="Objectives, audience, messages and assets drafted from the scenario, its segments and the mandatory legal and brand elements. Edit and save."
      testId="pr-brief"
      actions={
        scenarioId && canEdit ? (
          <Group gap="xs">
            <Button
              size="xs"
              variant={data ? 'default' : 'filled'}
              leftSection={<IconSparkles size={14} />}
              loading={generate.isPending}
              onClick={() => generate.mutate(scenarioId)}
              data-testid="pr-brief-generate"
            >
              {data ? 'Draft again' : 'Draft brief'}
            </Button>
            {data && (
              <Button
                size="xs"
                leftSection={<IconDeviceFloppy size={14} />}
                disabled={!dirty}
                loading={save.isPending}
                onClick={handleSave}
                data-testid="pr-brief-save"
              >
                Save brief
              </Button>
            )}
          </Group>
        ) : undefined
      }
    >
      {(generate.isError || save.isError || brief.isError) && (
        <Alert color="red" variant="light" mb="sm">
          {errorMessage(generate.error ?? save.error ?? brief.error)}
        </Alert>
      )}
      {!scenarioId && (
        <Text size="sm" c="dimmed">
          Save the scenario to draft its brief.
        </Text>
      )}
      {scenarioId && !brief.isPending && !data && (
        <Text size="sm" c="dimmed">
          No brief yet. {canEdit ? 'Draft one from the scenario.' : ''}
        </Text>
      )}
      {data && form && (
        <Stack gap="sm">
          <Group gap="xs">
            <Badge variant="default" radius="sm" tt="none" fw={500}>
              {data.generatedBy === 'edited' ? 'edited by a person' : `drafted by ${data.generatedBy}`}
            </Badge>
          </Group>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            <TextInput
              label="Primary objective"
              value={form.primary}
              onChange={(event) => setForm({ ...form, primary: event.currentTarget.value })}
              readOnly={!canEdit}
              data-testid="pr-brief-primary"
            />
            <TextInput label="Tone" value={form.tone} onChange={(event) => setForm({ ...form, tone: event.currentTarget.value })} readOnly={!canEdit} />
            <Textarea
              label="Secondary objectives (one per line)"
              autosize
              minRows={2}
              value={form.secondary}
              onChange={(event) => setForm({ ...form, secondary: event.currentTarget.value })}
              readOnly={!canEdit}
            />
            <Textarea
              label="Key messages (one per line)"
              autosize
              minRows={2}
              value={form.messages}
              onChange={(event) => setForm({ ...form, messages: event.currentTarget.value })}
              readOnly={!canEdit}
            />
            <TextInput
              label="Audience"
              value={form.demographics}
              onChange={(event) => setForm({ ...form, demographics: event.currentTarget.value })}
              readOnly={!canEdit}
            />
            <Group grow align="flex-start">
              <Textarea
                label="Legal (mandatory)"
                autosize
                minRows={1}
                value={form.legal}
                onChange={(event) => setForm({ ...form, legal: event.currentTarget.value })}
                readOnly={!canEdit}
              />
              <Textarea
                label="Brand (mandatory)"
                autosize
                minRows={1}
                value={form.brand}
                onChange={(event) => setForm({ ...form, brand: event.currentTarget.value })}
                readOnly={!canEdit}
              />
            </Group>
          </SimpleGrid>
          {form.assets.length > 0 && (
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
              {form.assets.map((asset, index) => {
                const setAsset = (patch: Partial<Asset>) => setForm({ ...form, assets: form.assets.map((a, i) => (i === index ? { ...a, ...patch } : a)) });
                return (
                  <Paper key={index} withBorder radius="md" p="sm" bg="gray.0">
                    <Text size="xs" fw={700} tt="uppercase" c="dimmed" mb={4}>
                      {(asset.type ?? 'asset').replace(/_/g, ' ')}
                      {asset.product_focus && asset.product_focus.length > 0 ? ` · ${asset.product_focus.join(', ')}` : ''}
                    </Text>
                    <Stack gap={6}>
                      <TextInput
                        size="xs"
                        label="Headline"
                        value={asset.headline ?? ''}
                        onChange={(event) => setAsset({ headline: event.currentTarget.value })}
                        readOnly={!canEdit}
                      />
                      <TextInput
                        size="xs"
                        label="Subheadline"
                        value={asset.subheadline ?? ''}
                        onChange={(event) => setAsset({ subheadline: event.currentTarget.value })}
                        readOnly={!canEdit}
                      />
                      <TextInput
                        size="xs"
                        label="Call to action"
                        value={asset.cta ?? ''}
                        onChange={(event) => setAsset({ cta: event.currentTarget.value })}
                        readOnly={!canEdit}
                      />
                    </Stack>
                  </Paper>
                );
              })}
            </SimpleGrid>
          )}
        </Stack>
      )}
    </Panel>
  );
}
