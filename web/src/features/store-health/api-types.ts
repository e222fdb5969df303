// Types of the store-health HTTP API (/api/store-health), field names exactly as the contract spells them.
import type { ListResponse } from '../../api-types';

export type { ListResponse };

/** `closed` covers closed days and holidays; `no_data` means an expected value is missing. Neither is ever red. */
export type KpiStatus = 'green' | 'yellow' | 'red' | 'closed' | 'no_data';
export const KPI_STATUSES: KpiStatus[] = ['red', 'yellow', 'green', 'closed', 'no_data'];

/** 0 store manager, 1 district manager, 2 regional manager, 3 head office, 4 executive. */
export type EscalationLevel = number;

export type StatusCounts = {
  green: number;
  yellow: number;
  red: number;
  closed: number;
  no_data: number;
  stores?: number;
};

// ---------------------------------------------------------------- org structure & config

export type Region = {
  id: string;
  name: string;
  managerName: string | null;
  managerEmail: string | null;
  managerPhone: string | null;
  districtCount: number;
  storeCount: number;
};

export type District = {
  id: string;
  name: string;
  regionId: string;
  regionName: string | null;
  managerName: string | null;
  managerEmail: string | null;
  managerPhone: string | null;
  storeCount: number;
};

export type Weekday = '1' | '2' | '3' | '4' | '5' | '6' | '7';
export const WEEKDAYS: Weekday[] = ['1', '2', '3', '4', '5', '6', '7'];
export type OpeningInterval = { open: string; close: string };
/** Opening hours per ISO weekday (1 = Monday … 7 = Sunday), store-local; a weekday without entries is closed. */
export type OpeningHours = Partial<Record<Weekday, OpeningInterval[]>>;

export type StoreStatus = 'active' | 'inactive' | 'closed';
export const STORE_STATUSES: StoreStatus[] = ['active', 'inactive', 'closed'];

export type Store = {
  id: string;
  storeCode: string;
  name: string;
  address: string | null;
  city: string | null;
  state: string | null;
  zipCode: string | null;
  timezone: string;
  phone: string | null;
  managerName: string | null;
  managerPhone: string | null;
  managerEmail: string | null;
  regionId: string | null;
  regionName: string | null;
  districtId: string | null;
  districtName: string | null;
  status: StoreStatus;
  openingHours: OpeningHours;
  metadata: Record<string, unknown>;
};

export type StoreInput = {
  storeCode: string;
  name: string;
  address: string | null;
  city: string | null;
  state: string | null;
  zipCode: string | null;
  timezone: string;
  phone: string | null;
  managerName: string | null;
  managerPhone: string | null;
  managerEmail: string | null;
  regionId: string | null;
  districtId: string | null;
  status: StoreStatus;
  openingHours: OpeningHours;
  metadata?: Record<string, unknown>;
};

export type ClosureKind = 'holiday' | 'closed';

export type Closure = {
  id: string;
  /** null closes every store of the organization that day. */
  storeId: string | null;
  storeCode?: string | null;
  closureDate: string;
  kind: ClosureKind;
  reason: string | null;
};

export type ClosureInput = { storeId: string | null; closureDate: string; kind: ClosureKind; reason: string | null };

export type KpiDirection = 'higher_is_better' | 'lower_is_better';
export type ComparisonBasis = 'rolling_4w' | 'same_period_ly' | 'absolute';
export const COMPARISON_BASES: ComparisonBasis[] = ['rolling_4w', 'same_period_ly', 'absolute'];

export type KpiThreshold = {
  greenMin: number | null;
  yellowMin: number | null;
  redThreshold: number | null;
  comparisonBasis: ComparisonBasis;
  priority: number;
};

export type KpiDefinition = {
  id: string;
  kpiCode: string;
  name: string;
  description: string | null;
  unit: string;
  calculationMethod: string;
  category: string;
  direction: KpiDirection;
  isActive: boolean;
  threshold: KpiThreshold | null;
};

export type KpiDefinitionInput = Omit<KpiDefinition, 'id' | 'threshold'>;

export type ThresholdRecord = KpiThreshold & { id: string };
export type StoreThresholdOverride = ThresholdRecord & { storeId: string; storeCode: string };

export type KpiThresholds = {
  organizationDefault: ThresholdRecord | null;
  storeOverrides: StoreThresholdOverride[];
};

export type ThresholdInput = KpiThreshold & { storeId?: string | null };

// ---------------------------------------------------------------- imports

export const IMPORT_KINDS = ['metrics', 'stores', 'labor-schedules', 'labor-callouts', 'inventory-levels', 'out-of-stock-events'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export type ImportResult = {
  kind: ImportKind;
  fileName?: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  dates: { from: string; to: string } | null;
  evaluationJobId: string | null;
  changedDates?: { from: string; to: string } | null;
  derived?: { inserted: number; updated: number; unchanged: number };
  created?: { regions: number; districts: number };
};

/** One problem of a rejected file; `row` is the 1-based line in the file including the header. */
export type ImportRowError = { row: number; column: string | null; message: string; path?: string };

// ---------------------------------------------------------------- evaluation

export type OverviewStore = {
  id: string;
  storeCode: string;
  name: string;
  overallStatus: KpiStatus;
  healthScore: number | null;
  redKpiCount: number;
  yellowKpiCount: number;
  greenKpiCount: number;
  escalationLevel: EscalationLevel;
  riskProbability: number | null;
  actionRequired: boolean;
  summary: string | null;
};

export type OverviewDistrict = {
  id: string;
  name: string;
  worstStatus: KpiStatus;
  counts: StatusCounts;
  stores: OverviewStore[];
};

export type OverviewRegion = {
  id: string;
  name: string;
  worstStatus: KpiStatus;
  counts: StatusCounts;
  districts: OverviewDistrict[];
};

export type Overview = {
  /** The snapshot date shown; null when no snapshot exists yet. */
  date: string | null;
  totals: StatusCounts & { stores: number };
  regions: OverviewRegion[];
};

export type HealthSnapshot = {
  snapshotDate: string;
  overallStatus: KpiStatus;
  healthScore: number | null;
  redKpiCount: number;
  yellowKpiCount: number;
  greenKpiCount: number;
  escalationLevel: EscalationLevel;
  riskProbability: number | null;
  summary: string | null;
  actionRequired: boolean;
};

export type KpiSeriesPoint = {
  date: string;
  value: number | null;
  comparisonValue: number | null;
  variancePct: number | null;
  status: KpiStatus | null;
};

export type StoreKpiHealth = {
  kpi: { id: string; kpiCode: string; name: string; unit: string; direction: KpiDirection; category: string };
  threshold: (KpiThreshold & { source: 'store' | 'organization' }) | null;
  series: KpiSeriesPoint[];
  currentStatus: KpiStatus | null;
  daysInStatus: number | null;
};

export type StatusChange = {
  date: string;
  kpiCode: string;
  previousStatus: KpiStatus | null;
  currentStatus: KpiStatus;
  value: number | null;
  variancePct: number | null;
  durationInStatus: number;
};

export type StoreHealth = {
  store: Store;
  snapshots: HealthSnapshot[];
  kpis: StoreKpiHealth[];
  statusHistory: StatusChange[];
};

export type AlertSeverity = 'yellow' | 'red' | 'critical';
export const ALERT_SEVERITIES: AlertSeverity[] = ['critical', 'red', 'yellow'];
export type AlertStatus = 'active' | 'acknowledged' | 'resolved' | 'expired';
export const ALERT_STATUSES: AlertStatus[] = ['active', 'acknowledged', 'resolved', 'expired'];
export type AlertScope = 'store' | 'district';

export type Alert = {
  id: string;
  scope: AlertScope;
  storeId: string | null;
  storeCode: string | null;
  storeName: string | null;
  districtId: string | null;
  districtName: string | null;
  kpiId: string | null;
  kpiCode: string | null;
  kpiName: string | null;
  alertDate: string;
  severity: AlertSeverity;
  escalationLevel: EscalationLevel;
  status: AlertStatus;
  title: string;
  message: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  expiresAt: string | null;
  daysInCondition: number;
  snoozedUntil: string | null;
  /** District alert this store alert was folded into. */
  parentAlertId?: string | null;
};

export type AlertDetail = Alert & { tasks: Task[]; escalations: Escalation[]; calls: Call[] };

export type TaskStatus = 'pending' | 'in_progress' | 'completed' | 'cancelled';
export const TASK_STATUSES: TaskStatus[] = ['pending', 'in_progress', 'completed', 'cancelled'];

export type Task = {
  id: string;
  alertId: string | null;
  storeId: string;
  storeCode: string;
  storeName: string;
  kpiCode: string | null;
  taskType: string;
  priority: number;
  title: string;
  description: string | null;
  assignedToRole: string;
  assignedToName: string | null;
  assignedToContact: string | null;
  status: TaskStatus;
  dueDate: string | null;
  completedAt: string | null;
  completedBy: string | null;
  outcome: string | null;
};

export type TaskPatch = { status?: TaskStatus; outcome?: string; assignedToName?: string };

// ---------------------------------------------------------------- escalations & calls

export type TriggerCondition = 'status_red' | 'status_yellow' | 'sla_breach' | 'predicted_risk';
export const TRIGGER_CONDITIONS: TriggerCondition[] = ['status_red', 'status_yellow', 'sla_breach', 'predicted_risk'];
export type EscalationAction = 'create_task' | 'send_alert' | 'ai_call' | 'regional_escalation';
export const ESCALATION_ACTIONS: EscalationAction[] = ['create_task', 'send_alert', 'ai_call', 'regional_escalation'];

export type EscalationRule = {
  id: string;
  name: string | null;
  kpiDefinitionId: string | null;
  kpiCode: string | null;
  triggerCondition: TriggerCondition;
  durationHours: number;
  fromLevel: EscalationLevel;
  toLevel: EscalationLevel;
  action: EscalationAction;
  isActive: boolean;
};

export type EscalationRuleInput = Omit<EscalationRule, 'id' | 'kpiCode'>;

export type Escalation = {
  id: string;
  alertId: string;
  alertTitle?: string;
  storeId: string | null;
  storeCode?: string | null;
  storeName?: string | null;
  ruleId?: string | null;
  taskId: string | null;
  fromLevel: EscalationLevel;
  toLevel: EscalationLevel;
  escalationReason: string | null;
  triggeredBy: string;
  escalatedAt: string;
  escalatedToRole: string | null;
  escalatedToName: string | null;
  escalatedToContact: string | null;
  status: string;
  resolution: string | null;
  resolvedAt: string | null;
};

export type ScriptType = 'green' | 'yellow' | 'red';
export const SCRIPT_TYPES: ScriptType[] = ['red', 'yellow', 'green'];

export type CallScript = {
  id: string;
  scriptType: ScriptType;
  version: number;
  scriptContent: string;
  variables: Record<string, string>;
  isActive: boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt?: string;
};

/** GET /call-scripts: per type the active version and every version, newest first. */
export type CallScriptGroup = { scriptType: ScriptType; active: CallScript | null; history: CallScript[] };
export type CallScriptsResponse = { data: CallScriptGroup[] };

export type CallScriptInput = { scriptType: ScriptType; scriptContent: string; variables?: Record<string, string> };

/** POST /call-scripts/:id/preview: the text with every {{variable}} filled, and the values used. */
export type CallScriptPreview = { scriptId: string; scriptType: ScriptType; version: number; text: string; values: Record<string, string | null> };

export type CallStatus = 'scheduled' | 'in_progress' | 'completed' | 'failed' | 'no_answer';

export type Call = {
  id: string;
  storeId: string;
  /** Absent on the calls embedded in GET /alerts/:id. */
  storeCode?: string;
  storeName?: string;
  alertId: string | null;
  alertTitle?: string | null;
  taskId: string | null;
  escalationId: string | null;
  callType: ScriptType;
  callStatus: CallStatus;
  recipientName: string | null;
  recipientPhone: string | null;
  callInitiatedAt: string | null;
  callConnectedAt: string | null;
  callEndedAt: string | null;
  callDurationSeconds: number | null;
  /** Present on GET /calls/:id; lists may leave it out. */
  transcript?: string | null;
  sentiment: string | null;
  response: string | null;
  followUpRequired: boolean;
  attempt: number;
  provider: string;
  scriptVersion?: number | null;
};

// ---------------------------------------------------------------- prediction

export type Prediction = {
  id?: string;
  storeId: string;
  storeCode: string;
  kpiId: string | null;
  kpiCode: string | null;
  predictionDate: string;
  targetDate: string;
  predictionType: string;
  predictedStatus: KpiStatus;
  predictedValue: number | null;
  /** 0–100 */
  confidenceScore: number | null;
  contributingFactors: Record<string, unknown>[];
  modelVersion: string;
};

export type BacktestMetrics = {
  samples?: number;
  /** 0–1 fractions; null when undefined (e.g. precision without a single red prediction). */
  accuracy: number | null;
  redRecall: number | null;
  redPrecision: number | null;
  macroF1: number | null;
};

/** confusion[actual][predicted] = count. */
export type ConfusionMatrix = Record<string, Record<string, number>>;

export type BacktestLevelLoad = { level: EscalationLevel; alerts: number; tasks: number; calls: number; escalations?: number };

export type BacktestReport = {
  from: string;
  to: string;
  horizonDays?: number;
  samples: number;
  model: BacktestMetrics;
  persistence: BacktestMetrics;
  /** Second baseline some servers add: the status of the same weekday a week earlier. */
  seasonalNaive?: BacktestMetrics;
  confusion: { model: ConfusionMatrix; persistence: ConfusionMatrix; seasonalNaive?: ConfusionMatrix };
  escalation: { levels: BacktestLevelLoad[]; alertsOpened?: number; rulesFired?: number; byRule?: { ruleId: string; name: string | null; fired: number }[] };
  generatedAt?: string;
  modelVersion?: string;
  skipped?: { noActual: number; noPrediction: number };
  protocol?: { trainingWindowDays: number; refitEveryDays: number; description: string };
  stores?: number;
  series?: number;
  fits?: number;
  ms?: number;
};

export type BacktestInput = { from: string; to: string; horizonDays?: number };
