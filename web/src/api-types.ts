export type Role = 'admin' | 'manager' | 'staff' | 'viewer';

export type Me = {
  user: { id: string; email: string; name: string };
  organization: { id: string; slug: string; name: string; timezone: string };
  role: Role;
  organizations: { id: string; slug: string; name: string; role: Role }[];
  csrfToken: string;
};

export type Page = { limit: number; offset: number; total: number };
export type ListResponse<T> = { data: T[]; page: Page };

export type UserRow = {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  lockedUntil: string | null;
};

export type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  user: { id: string; email: string } | null;
};

export type CreatedToken = TokenRow & { token: string };

export type ActorType = 'user' | 'token' | 'cli' | 'system';

export type AuditEntry = {
  id: string;
  at: string;
  actor: { type: ActorType; id: string | null; label: string | null };
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  requestId: string | null;
};

export const JOB_STATES = ['created', 'active', 'retry', 'completed', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export type JobRun = {
  id: string;
  name: string;
  organizationId: string | null;
  state: JobState;
  attempt: number;
  maxAttempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  data: unknown;
};

export type JobDefinition = {
  name: string;
  description: string;
  schedule: string | null;
  timezone: string | null;
};

export type HealthStatus = 'ok' | 'degraded' | 'down';

export type Health = {
  status: HealthStatus;
  database: { ok: boolean; kind: 'pglite' | 'postgres'; latencyMs: number | null };
  migrations: { ok: boolean; applied: number; pending: number };
  worker: { ok: boolean; lastHeartbeatAt: string | null };
  version: string;
};

export type ModuleKey = 'store-health' | 'commerce' | 'promotions' | 'agent-org' | 'coaching';

export type ModuleInfo = { key: ModuleKey; name: string; description: string; ready: boolean };
