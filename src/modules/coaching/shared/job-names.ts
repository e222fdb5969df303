/** Job names other coaching areas enqueue (the definitions live in each area's jobs.ts). */
export const recomputeHistoryJobName = 'coaching.recompute-history';
export const refreshTeamSummaryJobName = 'coaching.refresh-team-summary';
export const archiveMetricsJobName = 'coaching.archive-metrics';
export const markOverdueActionItemsJobName = 'coaching.mark-overdue-action-items';
export const actionItemRemindersJobName = 'coaching.action-item-reminders';
export const planCheckInsJobName = 'coaching.plan-check-ins';
export const proposePlansJobName = 'coaching.propose-plans';
export const evaluateEffectivenessJobName = 'coaching.evaluate-effectiveness';
