import type { Mechanic, ValidationIssue } from '../api-types';
import { asNumber } from '../shared/format';

export type DraftShape = { dateRangeStart: string; dateRangeEnd: string; mechanics: Mechanic[] };

/**
 * The change an issue's computed fix makes to a draft, or null when the issue carries no number to apply.
 * Fields come from the validation rules: suggested_discount_pct (a line's discount, or a raise for a target gap),
 * max_discount_pct (a cap), suggested_scale_pct (all discounts scaled), suggested_dates, suggested_department.
 */
export function fixFor(issue: ValidationIssue): { label: string; apply: (draft: DraftShape) => DraftShape } | null {
  const department = typeof issue.affected_department === 'string' ? issue.affected_department : null;
  const channel = typeof issue.affected_channel === 'string' ? issue.affected_channel : null;
  const onLine = (m: Mechanic) => (department === null || m.department === department) && (channel === null || m.channel === channel);
  const suggested = asNumber(issue.suggested_discount_pct);
  if (suggested !== null) {
    if (issue.type === 'target_gap') {
      return {
        label: `Raise to ${suggested}%`,
        apply: (draft) => ({ ...draft, mechanics: draft.mechanics.map((m) => (onLine(m) ? { ...m, discount_pct: Math.max(m.discount_pct, suggested) } : m)) }),
      };
    }
    return {
      label: `Set ${suggested}%`,
      apply: (draft) => ({ ...draft, mechanics: draft.mechanics.map((m) => (onLine(m) ? { ...m, discount_pct: suggested } : m)) }),
    };
  }
  const max = asNumber(issue.max_discount_pct);
  if (max !== null) {
    return {
      label: `Cap at ${max}%`,
      apply: (draft) => ({ ...draft, mechanics: draft.mechanics.map((m) => (onLine(m) ? { ...m, discount_pct: Math.min(m.discount_pct, max) } : m)) }),
    };
  }
  const scale = asNumber(issue.suggested_scale_pct);
  if (scale !== null) {
    return {
      label: `Scale discounts to ${scale}%`,
      apply: (draft) => ({ ...draft, mechanics: draft.mechanics.map((m) => ({ ...m, discount_pct: Math.floor((m.discount_pct * scale) / 100) })) }),
    };
  }
  const dates = issue.suggested_dates;
  if (Array.isArray(dates) && typeof dates[0] === 'string' && typeof dates[1] === 'string') {
    const [start, end] = dates as [string, string];
    return { label: 'Move the dates', apply: (draft) => ({ ...draft, dateRangeStart: start, dateRangeEnd: end }) };
  }
  const extra = typeof issue.suggested_department === 'string' ? issue.suggested_department : null;
  const extraChannel = issue.suggested_channel === 'offline' ? 'offline' : 'online';
  if (extra) {
    return {
      label: `Add ${extra}`,
      apply: (draft) => {
        const discount = Math.max(0, ...draft.mechanics.map((m) => m.discount_pct));
        return {
          ...draft,
          mechanics: [
            ...draft.mechanics,
            { department: extra, channel: extraChannel, discount_pct: discount, segments: ['ALL'], notes: 'added by validation fix' },
          ],
        };
      },
    };
  }
  return null;
}
