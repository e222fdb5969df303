import { Paper, SimpleGrid, Text, UnstyledButton, type SimpleGridProps } from '@mantine/core';

export interface ChoiceCard<K extends string> {
  value: K;
  label: string;
  description: string;
}

/** A grid of selectable cards (one chosen at a time), e.g. the kind of file an import expects. */
export function ChoiceCards<K extends string>({
  options,
  value,
  onChange,
  color,
  cols,
  testIdPrefix,
}: {
  options: ChoiceCard<K>[];
  value: K;
  onChange: (value: K) => void;
  /** Mantine colour of the chosen card, e.g. 'indigo'. */
  color: string;
  cols: SimpleGridProps['cols'];
  testIdPrefix: string;
}) {
  return (
    <SimpleGrid cols={cols} spacing="sm">
      {options.map((option) => {
        const selected = option.value === value;
        return (
          <UnstyledButton key={option.value} onClick={() => onChange(option.value)} aria-pressed={selected} data-testid={`${testIdPrefix}${option.value}`}>
            <Paper
              withBorder
              radius="md"
              p="sm"
              h="100%"
              className="retailops-hover-card"
              style={{
                borderColor: selected ? `var(--mantine-color-${color}-5)` : undefined,
                background: selected ? `var(--mantine-color-${color}-0)` : undefined,
              }}
            >
              <Text size="sm" fw={650} c={selected ? `${color}.8` : undefined}>
                {option.label}
              </Text>
              <Text size="xs" c="dimmed" lineClamp={2}>
                {option.description}
              </Text>
            </Paper>
          </UnstyledButton>
        );
      })}
    </SimpleGrid>
  );
}
