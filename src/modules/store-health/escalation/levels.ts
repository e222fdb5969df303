/** Escalation levels of the seed (0–4) and the role each one addresses. */
export const escalationLevels = [
  { level: 0, role: 'store_manager', label: 'store manager' },
  { level: 1, role: 'district_manager', label: 'district manager' },
  { level: 2, role: 'regional_manager', label: 'regional manager' },
  { level: 3, role: 'head_office', label: 'head office' },
  { level: 4, role: 'executive', label: 'executive' },
] as const;

export const maxEscalationLevel = 4;

export type EscalationRole = (typeof escalationLevels)[number]['role'];

export function roleOfLevel(level: number): EscalationRole {
  return escalationLevels[Math.max(0, Math.min(maxEscalationLevel, level))].role;
}

export function labelOfLevel(level: number): string {
  return escalationLevels[Math.max(0, Math.min(maxEscalationLevel, level))].label;
}

export const triggerConditions = ['status_red', 'status_yellow', 'sla_breach', 'predicted_risk'] as const;
export type TriggerCondition = (typeof triggerConditions)[number];

export const escalationActions = ['create_task', 'send_alert', 'ai_call', 'regional_escalation'] as const;
export type EscalationAction = (typeof escalationActions)[number];

/** The seed's `escalations.triggered_by` vocabulary, per rule trigger. */
export function triggeredByOf(trigger: string): 'threshold' | 'sla_breach' | 'predicted_risk' | 'manual' {
  if (trigger === 'sla_breach') return 'sla_breach';
  if (trigger === 'predicted_risk') return 'predicted_risk';
  if (trigger === 'status_red' || trigger === 'status_yellow') return 'threshold';
  return 'manual';
}

/** Task priority (1 = most urgent) from an alert's severity. */
export function priorityOfSeverity(severity: string): number {
  if (severity === 'critical') return 1;
  if (severity === 'red') return 2;
  return 3;
}
