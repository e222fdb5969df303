import { auditLog } from '../db/schema.js';
import type { Db } from '../db/connection.js';
import type { Actor, ServiceContext } from '../context.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Strips fields that must never be copied into the audit trail. */
function scrub(value: unknown): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value ?? null;
  if (Array.isArray(value)) return value.map(scrub);
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (/password|token_?hash|tokenHash|credentials|secret|csrf/i.test(key)) {
      out[key] = v == null ? v : '[redacted]';
    } else out[key] = scrub(v);
  }
  return out;
}

/** Records a change in the caller's transaction, so the change and its audit entry commit together. */
export async function recordAudit(ctx: ServiceContext, entry: AuditEntry): Promise<void> {
  await writeAuditEntry(ctx.db, {
    organizationId: ctx.organization.id,
    actor: ctx.actor,
    ip: ctx.ip,
    requestId: ctx.requestId,
    at: ctx.clock.now(),
    ...entry,
  });
}

export async function writeAuditEntry(
  db: Db,
  entry: AuditEntry & { organizationId: string | null; actor: Actor; ip?: string; requestId?: string; at: Date },
): Promise<void> {
  await db.insert(auditLog).values({
    organizationId: entry.organizationId,
    actorType: entry.actor.type,
    actorId: entry.actor.id,
    actorLabel: entry.actor.label,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    before: scrub(entry.before ?? null),
    after: scrub(entry.after ?? null),
    ip: entry.ip ?? null,
    requestId: entry.requestId ?? null,
    at: entry.at,
  });
}
