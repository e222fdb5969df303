import { describe, expect, it } from 'vitest';
import { aiConfigFromEnv, createAiProvider } from './index.js';

describe('createAiProvider', () => {
  it('runs offline when no API key is configured', async () => {
    const provider = createAiProvider({});
    expect(provider.name).toBe('offline');
    expect(provider.model).toBeNull();
    const result = await provider.generateText({ prompt: 'Summarise the week.' });
    expect(result.producedWithoutModel).toBe(true);
  });

  it('picks OpenAI when OPENAI_API_KEY is set, with the default or configured model', () => {
    const fromEnv = createAiProvider(aiConfigFromEnv({ OPENAI_API_KEY: 'sk-test-key' }));
    expect(fromEnv).toMatchObject({ name: 'openai', model: 'gpt-4o-mini' });

    const compatible = createAiProvider(aiConfigFromEnv({ OPENAI_API_KEY: 'ollama', OPENAI_BASE_URL: 'http://localhost:11434/v1', AI_MODEL: 'llama3.1:8b' }));
    expect(compatible).toMatchObject({ name: 'openai', model: 'llama3.1:8b' });
  });

  it('prefers OpenAI when both keys are set', () => {
    const provider = createAiProvider({ openaiApiKey: 'sk-test-key', anthropicApiKey: 'sk-ant-test-key' });
    expect(provider.name).toBe('openai');
  });

  it('picks Anthropic when only ANTHROPIC_API_KEY is set', () => {
    const provider = createAiProvider(aiConfigFromEnv({ ANTHROPIC_API_KEY: 'sk-ant-test-key' }));
    expect(provider).toMatchObject({ name: 'anthropic', model: 'claude-3-5-haiku-latest' });
  });

  it('rejects nonsensical timeouts and retry counts', () => {
    expect(() => createAiProvider({ openaiApiKey: 'k', timeoutMs: 0 })).toThrow(/AI_TIMEOUT_MS/);
    expect(() => createAiProvider({ openaiApiKey: 'k', maxRetries: 1.5 })).toThrow(/AI_MAX_RETRIES/);
  });
});

describe('aiConfigFromEnv', () => {
  it('maps every variable and parses the numbers', () => {
    expect(
      aiConfigFromEnv({
        OPENAI_API_KEY: 'sk-a',
        OPENAI_BASE_URL: 'http://localhost:11434/v1',
        ANTHROPIC_API_KEY: 'sk-b',
        AI_MODEL: 'm',
        AI_EMBEDDING_MODEL: 'e',
        AI_TIMEOUT_MS: '15000',
        AI_MAX_RETRIES: '0',
      }),
    ).toEqual({
      openaiApiKey: 'sk-a',
      openaiBaseUrl: 'http://localhost:11434/v1',
      anthropicApiKey: 'sk-b',
      model: 'm',
      embeddingModel: 'e',
      timeoutMs: 15_000,
      maxRetries: 0,
    });
  });

  it('treats blank values as unset, so an empty .env template still runs offline', () => {
    const config = aiConfigFromEnv({ OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '  ', AI_TIMEOUT_MS: '' });
    expect(createAiProvider(config).name).toBe('offline');
    expect(config.timeoutMs).toBeUndefined();
  });

  it('names the variable when a number does not parse', () => {
    expect(() => aiConfigFromEnv({ AI_TIMEOUT_MS: '30s' })).toThrow('AI_TIMEOUT_MS must be a number, got "30s".');
  });
});
