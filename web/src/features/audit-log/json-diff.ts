export type DiffKind = 'added' | 'removed' | 'changed' | 'unchanged';

export type DiffRow = {
  key: string;
  kind: DiffKind;
  before: unknown;
  after: unknown;
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableStringify(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** Compares before/after snapshots key by key (top level; nested values are compared as a whole). */
export function diffSnapshots(before: unknown, after: unknown): DiffRow[] {
  if (!isPlainObject(before) && !isPlainObject(after)) {
    if (before === null || before === undefined) {
      if (after === null || after === undefined) return [];
      return [{ key: '(value)', kind: 'added', before, after }];
    }
    if (after === null || after === undefined) return [{ key: '(value)', kind: 'removed', before, after }];
    return [{ key: '(value)', kind: stableStringify(before) === stableStringify(after) ? 'unchanged' : 'changed', before, after }];
  }
  const beforeObject = isPlainObject(before) ? before : {};
  const afterObject = isPlainObject(after) ? after : {};
  const keys = Array.from(new Set([...Object.keys(beforeObject), ...Object.keys(afterObject)])).sort();
  return keys.map((key) => {
    const hasBefore = key in beforeObject;
    const hasAfter = key in afterObject;
    const beforeValue = beforeObject[key];
    const afterValue = afterObject[key];
    let kind: DiffKind;
    if (!hasBefore || (beforeValue === null && !isPlainObject(before))) kind = 'added';
    else if (!hasAfter) kind = 'removed';
    else kind = stableStringify(beforeValue) === stableStringify(afterValue) ? 'unchanged' : 'changed';
    return { key, kind, before: beforeValue, after: afterValue };
  });
}

export function formatJsonValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value, null, 2);
}
