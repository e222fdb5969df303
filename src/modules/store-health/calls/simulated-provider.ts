import { createHash } from 'node:crypto';
import type { CallAnswer, CallOutcome, CallProvider, CallRequest, PlacedCall, SimulatedScenario } from './call-provider.js';

export interface SimulatedProviderOptions {
  /** Decides the outcome of a call (tests); falls back to `request.scenario`, then to the hash. */
  scenario?: (request: CallRequest) => SimulatedScenario | undefined;
}

const replies: Record<CallAnswer, string> = {
  yes: "Yes, I've got it. I'm on it now.",
  later: "I can't right now, I'll deal with it later.",
  no_answer: '',
  voicemail: '',
  other: "I'm not sure what this is about.",
};

/**
 * Answers every call at once with an outcome that depends only on (alert, attempt): the same escalation always
 * plays out the same way, so demos and backtests are reproducible. About 55 % yes, 20 % later, 15 % no answer,
 * 10 % voicemail.
 */
export function createSimulatedProvider(options: SimulatedProviderOptions = {}): CallProvider {
  return {
    name: 'simulated',
    async placeCall(request: CallRequest): Promise<PlacedCall> {
      const digest = createHash('sha256')
        .update(`${request.alertId ?? request.callId}:${request.attempt}`)
        .digest();
      const scenario = options.scenario?.(request) ?? request.scenario ?? scenarioFromHash(digest, request.now);
      return {
        externalCallId: `sim-${digest.subarray(0, 8).toString('hex')}-${request.attempt}`,
        status: 'completed',
        outcome: outcomeOf(request, scenario, digest),
      };
    },
  };
}

function scenarioFromHash(digest: Buffer, now: Date): SimulatedScenario {
  const roll = digest[0] % 100;
  if (roll < 55) return { answer: 'yes' };
  if (roll < 75) return { answer: 'later', promisedAt: new Date(now.getTime() + (1 + (digest[1] % 3)) * 3_600_000) };
  if (roll < 90) return { answer: 'no_answer' };
  return { answer: 'voicemail' };
}

function outcomeOf(request: CallRequest, scenario: SimulatedScenario, digest: Buffer): CallOutcome {
  const now = request.now;
  if (scenario.answer === 'no_answer') {
    return { answer: 'no_answer', transcript: null, sentiment: null, connectedAt: null, endedAt: new Date(now.getTime() + 30_000), durationSeconds: 0 };
  }
  if (scenario.answer === 'voicemail') {
    const seconds = 20 + (digest[2] % 10);
    return {
      answer: 'voicemail',
      transcript: `Voicemail greeting of ${request.recipientName}.\nAI (message left): ${request.script}`,
      sentiment: 'neutral',
      connectedAt: now,
      endedAt: new Date(now.getTime() + seconds * 1000),
      durationSeconds: seconds,
    };
  }
  const promisedAt = scenario.promisedAt ? new Date(scenario.promisedAt) : null;
  const reply =
    scenario.reply ??
    (scenario.answer === 'later' && promisedAt
      ? `I can't right now. I'll deal with it by ${promisedAt.toLocaleTimeString('en-GB', { timeZone: request.timezone, hour: '2-digit', minute: '2-digit' })}.`
      : replies[scenario.answer]);
  const seconds = 35 + (digest[3] % 40);
  return {
    answer: scenario.answer,
    promisedAt,
    transcript: `AI: ${request.script}\n${request.recipientName}: ${reply}`,
    sentiment: scenario.answer === 'yes' ? 'positive' : scenario.answer === 'later' ? 'neutral' : 'negative',
    connectedAt: now,
    endedAt: new Date(now.getTime() + seconds * 1000),
    durationSeconds: seconds,
  };
}
