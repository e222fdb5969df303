import type { ServiceContext } from '../../../core/context.js';

export const callTypes = ['green', 'yellow', 'red'] as const;
export type CallType = (typeof callTypes)[number];

/** What the person said; `voicemail` is stored as response `no_answer` with the detail in metadata. */
export type CallAnswer = 'yes' | 'later' | 'no_answer' | 'voicemail' | 'other';
export type CallSentiment = 'positive' | 'neutral' | 'negative';

/** Forces the simulated provider's result (tests, demos); real providers ignore it. */
export interface SimulatedScenario {
  answer: CallAnswer;
  /** For `later`: the time the manager promised. */
  promisedAt?: Date | string;
  /** Override of the spoken reply in the transcript. */
  reply?: string;
}

export interface CallRequest {
  callId: string;
  organizationId: string;
  alertId: string | null;
  attempt: number;
  callType: CallType;
  to: string;
  recipientName: string;
  /** The rendered call script. */
  script: string;
  /** Store time zone: lets a provider understand "at 3 pm" in a reply. */
  timezone: string;
  now: Date;
  scenario?: SimulatedScenario;
}

export interface CallOutcome {
  answer: CallAnswer;
  /** For `later`: when the manager promised to act (default: two hours from now). */
  promisedAt?: Date | null;
  transcript: string | null;
  sentiment: CallSentiment | null;
  connectedAt?: Date | null;
  endedAt?: Date | null;
  durationSeconds?: number | null;
  recordingUrl?: string | null;
  /** false when redialling cannot help (e.g. no phone number): the workflow escalates at once. */
  retryable?: boolean;
  /** Provider detail kept in ai_calls.metadata (e.g. Twilio's CallStatus, AnsweredBy, Digits). */
  detail?: Record<string, unknown>;
}

export interface PlacedCall {
  externalCallId: string;
  /** `completed`: the outcome is known now (simulated); otherwise it arrives later (Twilio status callbacks). */
  status: 'queued' | 'in_progress' | 'completed';
  outcome?: CallOutcome;
}

/** A voice channel. Implementations: `simulated` (default, deterministic) and `twilio`. */
export interface CallProvider {
  readonly name: string;
  placeCall(request: CallRequest): Promise<PlacedCall>;
}

/** Picks the provider for the organization in the context (setting `calls.provider`). */
export type CallProviderResolver = (ctx: ServiceContext) => Promise<CallProvider>;
