import { and, count, eq, getTableColumns, ilike, or } from 'drizzle-orm';
import twilio from 'twilio';
import { z } from 'zod';
import type { Clock } from '../../../core/clock.js';
import type { ServiceContext } from '../../../core/context.js';
import type { Db } from '../../../core/db/connection.js';
import { organizations } from '../../../core/db/schema.js';
import { likePattern, listQuerySchema, orderBy } from '../../../core/db/list-query.js';
import { forbidden, notFound } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import { aiCalls, alerts, stores } from '../schema.js';
import { recordCallOutcome } from './call-workflow.js';
import { readTwilioAccount } from './providers.js';
import { interpretTwilioAnswer, validateTwilioSignature } from './twilio-provider.js';
import { formatLocalDeadline } from './scripts-service.js';

export const listCallsQuery = listQuerySchema(['callInitiatedAt', 'createdAt', 'attempt'], '-createdAt', {
  storeId: z.uuid().optional(),
  alertId: z.uuid().optional(),
  callStatus: z.enum(['scheduled', 'in_progress', 'completed', 'failed', 'no_answer', 'cancelled']).optional(),
  response: z.enum(['yes', 'later', 'no_answer', 'other']).optional(),
});

const { transcript: _transcript, ...callListColumns } = getTableColumns(aiCalls);

export async function listCalls(ctx: ServiceContext, query: z.infer<typeof listCallsQuery>) {
  const where = and(
    eq(aiCalls.organizationId, ctx.organization.id),
    query.storeId ? eq(aiCalls.storeId, query.storeId) : undefined,
    query.alertId ? eq(aiCalls.alertId, query.alertId) : undefined,
    query.callStatus ? eq(aiCalls.callStatus, query.callStatus) : undefined,
    query.response ? eq(aiCalls.response, query.response) : undefined,
    query.q
      ? or(ilike(aiCalls.recipientName, likePattern(query.q)), ilike(stores.name, likePattern(query.q)), ilike(stores.storeCode, likePattern(query.q)))
      : undefined,
  );
  const data = await ctx.db
    .select({ ...callListColumns, storeCode: stores.storeCode, storeName: stores.name, alertTitle: alerts.title })
    .from(aiCalls)
    .innerJoin(stores, eq(stores.id, aiCalls.storeId))
    .leftJoin(alerts, eq(alerts.id, aiCalls.alertId))
    .where(where)
    .orderBy(...orderBy(query.sort, { callInitiatedAt: aiCalls.callInitiatedAt, createdAt: aiCalls.createdAt, attempt: aiCalls.attempt }, aiCalls.id))
    .limit(query.limit)
    .offset(query.offset);
  const [{ total }] = await ctx.db.select({ total: count() }).from(aiCalls).innerJoin(stores, eq(stores.id, aiCalls.storeId)).where(where);
  return { data, page: { limit: query.limit, offset: query.offset, total: Number(total) } };
}

export async function getCall(ctx: ServiceContext, id: string) {
  const [row] = await ctx.db
    .select({ ...getTableColumns(aiCalls), storeCode: stores.storeCode, storeName: stores.name, alertTitle: alerts.title })
    .from(aiCalls)
    .innerJoin(stores, eq(stores.id, aiCalls.storeId))
    .leftJoin(alerts, eq(alerts.id, aiCalls.alertId))
    .where(and(eq(aiCalls.organizationId, ctx.organization.id), eq(aiCalls.id, id)));
  if (!row) throw notFound('Call', id);
  return row;
}

// ---- Twilio callbacks ----

export interface TwilioCallbackDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  encryptionKey: Buffer;
  /** The URL Twilio was given (PUBLIC_URL); signatures are computed over it. */
  publicUrl: string;
}

export interface TwilioCallbackInput {
  kind: 'status' | 'gather';
  /** Path and query as received, e.g. /api/store-health/calls/twilio/status?callId=… */
  url: string;
  signature: string | undefined;
  params: Record<string, string>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const rejected = () => forbidden('The Twilio signature is missing or does not match this request.');

/**
 * Handles a status or gather callback from Twilio. Nobody is signed in: the call named in the URL leads to its
 * organization, whose Twilio auth token must validate `X-Twilio-Signature` over the public URL and the posted
 * fields; anything else is refused with 403 (unknown calls too, so the endpoint reveals nothing).
 */
export async function handleTwilioCallback(deps: TwilioCallbackDeps, input: TwilioCallbackInput): Promise<{ twiml: string | null }> {
  const callId = new URL(input.url, 'http://callback.invalid').searchParams.get('callId') ?? '';
  if (!uuidPattern.test(callId)) throw rejected();
  const [found] = await deps.db
    .select({
      call: aiCalls,
      organization: { id: organizations.id, slug: organizations.slug, name: organizations.name, timezone: organizations.timezone },
      timezone: stores.timezone,
    })
    .from(aiCalls)
    .innerJoin(organizations, eq(organizations.id, aiCalls.organizationId))
    .innerJoin(stores, eq(stores.id, aiCalls.storeId))
    .where(eq(aiCalls.id, callId));
  if (!found) throw rejected();
  const ctx: ServiceContext = {
    db: deps.db,
    organization: found.organization,
    actor: { type: 'system', id: 'twilio', label: 'Twilio callback', userId: null },
    role: 'system',
    clock: deps.clock,
    log: deps.log,
  };
  const account = await readTwilioAccount(ctx, deps.encryptionKey);
  const url = `${deps.publicUrl.replace(/\/+$/, '')}${input.url}`;
  if (!account || !validateTwilioSignature(account.authToken, input.signature, url, input.params)) throw rejected();
  const { call } = found;
  if (call.externalCallId && input.params.CallSid && input.params.CallSid !== call.externalCallId) throw rejected();
  return input.kind === 'gather' ? handleGather(ctx, call, found.timezone, input.params) : handleStatus(ctx, call, input.params);
}

async function handleGather(ctx: ServiceContext, call: typeof aiCalls.$inferSelect, timezone: string, params: Record<string, string>) {
  const now = ctx.clock.now();
  const speech = params.SpeechResult ?? '';
  const digits = params.Digits ?? '';
  const interpreted = interpretTwilioAnswer({ digits, speech }, now, timezone);
  const said = [speech && `"${speech}"`, digits && `pressed ${digits}`].filter(Boolean).join(', ') || '(no reply)';
  const recorded = await recordCallOutcome(ctx, call.id, {
    answer: interpreted.answer,
    promisedAt: interpreted.promisedAt,
    transcript: `AI: ${String(call.metadata.script ?? '')}\n${call.recipientName ?? 'Recipient'}: ${said}`,
    sentiment: interpreted.sentiment,
    connectedAt: call.callConnectedAt ?? call.callInitiatedAt,
    detail: { source: 'twilio-gather', digits: digits || null, speechConfidence: params.Confidence ?? null },
  });
  const response = new twilio.twiml.VoiceResponse();
  if (interpreted.answer === 'yes') response.say('Thank you. The alert is marked as acknowledged. Goodbye.');
  else if (interpreted.answer === 'later') {
    const until = interpreted.promisedAt ?? new Date(now.getTime() + 2 * 3_600_000);
    response.say(`Thank you. We will follow up ${formatLocalDeadline(until, timezone)}. Goodbye.`);
  } else response.say('Sorry, we did not understand. We will call again shortly. Goodbye.');
  ctx.log.info({ callId: call.id, answer: interpreted.answer, effect: recorded.effect }, 'twilio gather received');
  return { twiml: response.toString() };
}

async function handleStatus(ctx: ServiceContext, call: typeof aiCalls.$inferSelect, params: Record<string, string>) {
  const now = ctx.clock.now();
  const status = params.CallStatus ?? '';
  const duration = params.CallDuration ? Number(params.CallDuration) : null;
  const detail = { source: 'twilio-status', callStatus: status, answeredBy: params.AnsweredBy ?? null };
  if (status === 'in-progress' || status === 'answered') {
    await ctx.db
      .update(aiCalls)
      .set({ callConnectedAt: call.callConnectedAt ?? now, externalCallId: call.externalCallId ?? params.CallSid ?? null, updatedAt: now })
      .where(eq(aiCalls.id, call.id));
    return { twiml: null };
  }
  if (!['completed', 'busy', 'no-answer', 'failed', 'canceled'].includes(status)) return { twiml: null };
  if (call.response !== null) {
    // The answer came through the gather callback; the final status only adds the timing.
    await ctx.db
      .update(aiCalls)
      .set({
        callEndedAt: now,
        callDurationSeconds: duration ?? call.callDurationSeconds,
        recordingUrl: params.RecordingUrl ?? call.recordingUrl,
        updatedAt: now,
      })
      .where(eq(aiCalls.id, call.id));
    return { twiml: null };
  }
  const machine = (params.AnsweredBy ?? '').startsWith('machine') || params.AnsweredBy === 'fax';
  await recordCallOutcome(ctx, call.id, {
    answer: status === 'completed' ? (machine ? 'voicemail' : 'other') : 'no_answer',
    transcript: status === 'completed' && !machine ? `AI: ${String(call.metadata.script ?? '')}\n(the call ended without an answer)` : null,
    sentiment: null,
    endedAt: now,
    durationSeconds: duration,
    recordingUrl: params.RecordingUrl ?? null,
    detail: status === 'failed' ? { ...detail, failed: true } : detail,
  });
  return { twiml: null };
}
