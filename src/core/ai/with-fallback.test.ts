import { describe, expect, it } from 'vitest';
import { createOfflineProvider, OFFLINE_TEXT_LABEL } from './offline-provider.js';
import { AiProviderError, type AiProvider } from './provider.js';
import { withFallback } from './with-fallback.js';

function failingProvider(error: Error): AiProvider {
  return {
    name: 'openai',
    model: 'gpt-4o-mini',
    generateText: () => Promise.reject(error),
    embed: () => Promise.reject(error),
  };
}

const timeout = new AiProviderError({
  code: 'AI_TIMEOUT',
  message: 'openai did not answer within 300 ms.',
  provider: 'openai',
});

describe('withFallback', () => {
  it('returns offline text marked as a fallback when the provider fails', async () => {
    const seen: AiProviderError[] = [];
    const provider = withFallback(failingProvider(timeout), createOfflineProvider(), { onFallback: (e) => seen.push(e) });

    const result = await provider.generateText({ prompt: 'Draft a brief.', fallback: () => 'Template brief.' });

    expect(result).toMatchObject({
      text: 'Template brief.',
      provider: 'offline',
      producedWithoutModel: true,
      fallbackReason: 'AI_TIMEOUT: openai did not answer within 300 ms.',
    });
    expect(seen).toEqual([timeout]);
    expect(provider).toMatchObject({ name: 'openai', model: 'gpt-4o-mini' });
  });

  it('uses the labelled offline summary when the caller gave no fallback text', async () => {
    const provider = withFallback(failingProvider(timeout), createOfflineProvider());
    const result = await provider.generateText({ prompt: 'Draft a brief.' });
    expect(result.text).toBe(`${OFFLINE_TEXT_LABEL} Draft a brief.`);
  });

  it('passes through results of a working provider untouched', async () => {
    const offline = createOfflineProvider();
    const result = await withFallback(offline, offline).generateText({ prompt: 'x', fallback: () => 'y' });
    expect(result.fallbackReason).toBeUndefined();
  });

  it('keeps embedding errors unless embedding fallback is asked for', async () => {
    await expect(withFallback(failingProvider(timeout), createOfflineProvider()).embed(['a'])).rejects.toBe(timeout);

    const result = await withFallback(failingProvider(timeout), createOfflineProvider(), { embeddings: true }).embed(['a']);
    expect(result).toMatchObject({ provider: 'offline', dimensions: 256, producedWithoutModel: true });
    expect(result.fallbackReason).toMatch(/^AI_TIMEOUT/);
  });

  it('rethrows errors that are not provider failures', async () => {
    const bug = new TypeError('prompt.trim is not a function');
    await expect(withFallback(failingProvider(bug), createOfflineProvider()).generateText({ prompt: 'x' })).rejects.toBe(bug);
  });
});
