import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { addDays, localDate, localMinutes, zonedInstant } from '../shared/dates.js';
import type { CallAnswer, CallProvider, CallRequest, CallSentiment, PlacedCall } from './call-provider.js';

export interface TwilioProviderOptions {
  accountSid: string;
  authToken: string;
  /** The Twilio number calls come from (integration settings `fromNumber`). */
  fromNumber: string;
  /** Where Twilio reaches this server (PUBLIC_URL); callbacks go to `${publicUrl}/api/store-health/calls/twilio/...`. */
  publicUrl: string;
  /** Another API origin than https://api.twilio.com: a local fake in tests, or an egress proxy. */
  apiBaseUrl?: string;
  timeoutMs?: number;
}

export const twilioStatusPath = '/api/store-health/calls/twilio/status';
export const twilioGatherPath = '/api/store-health/calls/twilio/gather';

/** Callback URLs carry the call's id, so a callback that arrives before the call's SID is stored still finds it. */
export function twilioCallbackUrls(publicUrl: string, callId: string) {
  const base = publicUrl.replace(/\/+$/, '');
  return { status: `${base}${twilioStatusPath}?callId=${callId}`, gather: `${base}${twilioGatherPath}?callId=${callId}` };
}

/** Reads the script, then listens for 1 / "yes" (on it) or 2 / "later" (needs time). */
export function buildCallTwiml(script: string, gatherUrl: string): string {
  const response = new twilio.twiml.VoiceResponse();
  const gather = response.gather({ input: ['speech', 'dtmf'], numDigits: 1, action: gatherUrl, method: 'POST', timeout: 8, speechTimeout: 'auto' });
  gather.say(script);
  gather.say('Press 1 or say yes if you are taking care of it. Press 2 or say later, and when, if you need more time.');
  response.say('We did not get an answer. We will call again.');
  return response.toString();
}

/** Sends the twilio client's requests to another origin (same paths), e.g. a fake Twilio on 127.0.0.1. */
class RebasedRequestClient extends twilio.RequestClient {
  constructor(
    private readonly baseUrl: string,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const original = new URL(opts.uri);
    const rebased = new URL(`${original.pathname}${original.search}`, this.baseUrl);
    return super.request<TData>({ ...opts, uri: rebased.href });
  }
}

/** Places outbound calls through Twilio's REST API; the answer arrives later via the gather and status callbacks. */
export function createTwilioProvider(options: TwilioProviderOptions): CallProvider {
  const timeout = options.timeoutMs ?? 15_000;
  const client = twilio(options.accountSid, options.authToken, {
    httpClient: options.apiBaseUrl ? new RebasedRequestClient(options.apiBaseUrl, timeout) : undefined,
    timeout,
  });
  return {
    name: 'twilio',
    async placeCall(request: CallRequest): Promise<PlacedCall> {
      const urls = twilioCallbackUrls(options.publicUrl, request.callId);
      const call = await client.calls.create({
        to: request.to,
        from: options.fromNumber,
        twiml: buildCallTwiml(request.script, urls.gather),
        statusCallback: urls.status,
        statusCallbackMethod: 'POST',
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
        machineDetection: 'Enable',
      });
      return { externalCallId: call.sid, status: 'queued' };
    },
  };
}

/** `X-Twilio-Signature` check over the full public URL and the posted form fields. */
export function validateTwilioSignature(authToken: string, signature: string | undefined, url: string, params: Record<string, string>): boolean {
  if (!signature) return false;
  return twilio.validateRequest(authToken, signature, url, params);
}

const positiveWords = [
  'yes',
  'yeah',
  'yep',
  'sure',
  'ok',
  'okay',
  'on it',
  'will do',
  'absolutely',
  'thanks',
  'thank you',
  'great',
  'fine',
  'handled',
  'got it',
];
const negativeWords = ['no', 'not', "can't", 'cannot', "won't", 'never', 'problem', 'angry', 'stop', 'busy', 'annoying', 'ridiculous', 'understaffed'];
const laterWords = ['later', 'tomorrow', 'afternoon', 'evening', 'tonight', "o'clock", 'call back', 'not now', 'give me'];

const containsWord = (text: string, word: string) => new RegExp(`(^|[^a-z'])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z'])`).test(text);

/** Keyword sentiment of a spoken reply: enough to sort calls, not a language model. */
export function analyseSentiment(text: string | null | undefined): CallSentiment {
  const lower = (text ?? '').toLowerCase();
  const score = positiveWords.filter((w) => containsWord(lower, w)).length - negativeWords.filter((w) => containsWord(lower, w)).length;
  return score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral';
}

const numberWords: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  half: 0.5,
  an: 1,
  a: 1,
};
const asNumber = (word: string) => (/^\d+(\.\d+)?$/.test(word) ? Number(word) : numberWords[word]);

/** "in 2 hours", "30 minutes", "at 3 pm", "by 15:30" → an instant (clock times in the store's time zone). */
export function parsePromisedTime(text: string, now: Date, timeZone: string): Date | null {
  const lower = text.toLowerCase();
  const relative = /\b(\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half|an|a)\s+(hours?|hrs?|minutes?|mins?)\b/.exec(lower);
  if (relative) {
    const amount = asNumber(relative[1]);
    if (amount !== undefined) return new Date(now.getTime() + amount * (relative[2].startsWith('h') ? 3_600_000 : 60_000));
  }
  const clock = /\b(?:at|by|around|until)\s+(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?/.exec(lower);
  if (clock) {
    let hour = Number(clock[1]);
    const minute = Number(clock[2] ?? '0');
    const meridiem = clock[3]?.replace(/\./g, '');
    if (meridiem === 'pm' && hour < 12) hour += 12;
    if (meridiem === 'am' && hour === 12) hour = 0;
    // "at 3" during opening hours means the afternoon.
    if (!meridiem && hour >= 1 && hour <= 7) hour += 12;
    if (hour > 23 || minute > 59) return null;
    const hhmm = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    const today = localDate(now, timeZone);
    const nowMinutes = localMinutes(now, timeZone);
    return zonedInstant(hour * 60 + minute > nowMinutes ? today : addDays(today, 1), hhmm, timeZone);
  }
  return null;
}

/** Digits win over speech: 1 = yes, 2 = later; otherwise the words decide. */
export function interpretTwilioAnswer(
  input: { digits?: string; speech?: string },
  now: Date,
  timeZone: string,
): { answer: CallAnswer; promisedAt: Date | null; sentiment: CallSentiment } {
  const speech = (input.speech ?? '').trim();
  const digits = (input.digits ?? '').trim();
  const sentiment = speech ? analyseSentiment(speech) : digits === '1' ? 'positive' : 'neutral';
  if (digits === '1') return { answer: 'yes', promisedAt: null, sentiment };
  if (digits === '2') return { answer: 'later', promisedAt: speech ? parsePromisedTime(speech, now, timeZone) : null, sentiment };
  const lower = speech.toLowerCase();
  // A promised time ("in two hours", "by 4 pm") means later, even after a "yes".
  const promisedAt = parsePromisedTime(speech, now, timeZone);
  if (promisedAt || laterWords.some((w) => containsWord(lower, w))) return { answer: 'later', promisedAt, sentiment };
  if (['yes', 'yeah', 'yep', 'sure', 'ok', 'okay', 'on it', 'will do', 'got it', 'absolutely'].some((w) => containsWord(lower, w))) {
    return { answer: 'yes', promisedAt: null, sentiment };
  }
  return { answer: 'other', promisedAt: null, sentiment };
}
