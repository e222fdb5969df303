import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { zonedInstant } from '../shared/dates.js';
import { startFakeTwilio } from './fake-twilio-server.js';
import { analyseSentiment, createTwilioProvider, interpretTwilioAnswer, parsePromisedTime, validateTwilioSignature } from './twilio-provider.js';

const accountSid = `AC${'1'.repeat(32)}`;
const authToken = 'test-auth-token';
let fake: Awaited<ReturnType<typeof startFakeTwilio>>;
beforeAll(async () => {
  fake = await startFakeTwilio();
});
afterAll(async () => fake?.close());

describe('twilio adapter', () => {
  it('creates an outbound call with TwiML, gather and status callbacks through the official client', async () => {
    const provider = createTwilioProvider({
      accountSid,
      authToken,
      fromNumber: '+15550009999',
      publicUrl: 'https://ops.example.com/',
      apiBaseUrl: fake.baseUrl,
    });
    const placed = await provider.placeCall({
      callId: '6f1c1f9e-4a53-4d5b-9f1e-1d2b3c4d5e6f',
      organizationId: 'org',
      alertId: 'alert',
      attempt: 1,
      callType: 'red',
      to: '+15550000001',
      recipientName: 'Dana District',
      script: 'Hello Dana, net sales at Store S001 are red & falling.',
      timezone: 'America/New_York',
      now: new Date('2026-03-02T18:00:00Z'),
    });
    expect(placed).toEqual({ externalCallId: `CA${'1'.padStart(32, '0')}`, status: 'queued' });
    const [request] = fake.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/2010-04-01/Accounts/${accountSid}/Calls.json`);
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`);
    expect(request.form.get('To')).toBe('+15550000001');
    expect(request.form.get('From')).toBe('+15550009999');
    const twiml = request.form.get('Twiml')!;
    expect(twiml).toContain('<Gather input="speech dtmf" numDigits="1"');
    expect(twiml).toContain('action="https://ops.example.com/api/store-health/calls/twilio/gather?callId=6f1c1f9e-4a53-4d5b-9f1e-1d2b3c4d5e6f"');
    expect(twiml).toContain('<Say>Hello Dana, net sales at Store S001 are red &amp; falling.</Say>');
    expect(request.form.get('StatusCallback')).toBe('https://ops.example.com/api/store-health/calls/twilio/status?callId=6f1c1f9e-4a53-4d5b-9f1e-1d2b3c4d5e6f');
    expect(request.form.get('StatusCallbackMethod')).toBe('POST');
    expect(request.form.getAll('StatusCallbackEvent')).toEqual(['initiated', 'ringing', 'answered', 'completed']);
    expect(request.form.get('MachineDetection')).toBe('Enable');
  });

  it('validates X-Twilio-Signature over URL and fields', () => {
    const url = 'https://ops.example.com/api/store-health/calls/twilio/status?callId=x';
    const params = { CallSid: 'CA1', CallStatus: 'completed' };
    const signature = twilio.getExpectedTwilioSignature(authToken, url, params);
    expect(validateTwilioSignature(authToken, signature, url, params)).toBe(true);
    expect(validateTwilioSignature(authToken, signature, url, { ...params, CallStatus: 'no-answer' })).toBe(false);
    expect(validateTwilioSignature('other-token', signature, url, params)).toBe(false);
    expect(validateTwilioSignature(authToken, undefined, url, params)).toBe(false);
  });
});

describe('understanding the answer', () => {
  const tz = 'America/New_York';
  const now = zonedInstant('2026-03-02', '13:05', tz);

  it('digits first: 1 is yes, 2 is later', () => {
    expect(interpretTwilioAnswer({ digits: '1' }, now, tz)).toEqual({ answer: 'yes', promisedAt: null, sentiment: 'positive' });
    expect(interpretTwilioAnswer({ digits: '2' }, now, tz)).toMatchObject({ answer: 'later', promisedAt: null });
  });

  it('speech: yes, later with a time, or unclear', () => {
    expect(interpretTwilioAnswer({ speech: 'Yes, I am on it' }, now, tz)).toMatchObject({ answer: 'yes', sentiment: 'positive' });
    expect(interpretTwilioAnswer({ speech: 'Later, give me two hours' }, now, tz)).toMatchObject({
      answer: 'later',
      promisedAt: zonedInstant('2026-03-02', '15:05', tz),
    });
    expect(interpretTwilioAnswer({ speech: 'I will do it by 4 pm' }, now, tz)).toMatchObject({
      answer: 'later',
      promisedAt: zonedInstant('2026-03-02', '16:00', tz),
    });
    expect(interpretTwilioAnswer({ speech: 'What is this? No.' }, now, tz)).toMatchObject({ answer: 'other', sentiment: 'negative' });
  });

  it('reads promised times in store time, rolling to tomorrow when the hour has passed', () => {
    expect(parsePromisedTime('in 30 minutes', now, tz)).toEqual(zonedInstant('2026-03-02', '13:35', tz));
    expect(parsePromisedTime('at 9:30 am', now, tz)).toEqual(zonedInstant('2026-03-03', '09:30', tz));
    expect(parsePromisedTime('around 3', now, tz)).toEqual(zonedInstant('2026-03-02', '15:00', tz));
    expect(parsePromisedTime('soon', now, tz)).toBeNull();
  });

  it('keyword sentiment', () => {
    expect(analyseSentiment('Sure, thanks, will do')).toBe('positive');
    expect(analyseSentiment("We can't, we are understaffed")).toBe('negative');
    expect(analyseSentiment('Hmm')).toBe('neutral');
  });
});
