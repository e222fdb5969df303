import { createOfflineProvider } from './offline-provider.js';
import type { AiProvider } from './provider.js';
import { createAnthropicProvider, createOpenAiProvider } from './sdk-provider.js';

export {
  AiProviderError,
  isAiProviderError,
  type AiErrorCode,
  type AiProvider,
  type AiProviderName,
  type Embeddings,
  type GenerateTextInput,
  type GeneratedText,
  type TokenUsage,
} from './provider.js';
export {
  OFFLINE_EMBEDDING_DIMENSIONS,
  OFFLINE_TEXT_LABEL,
  cosineSimilarity,
  createOfflineProvider,
  hashingEmbedding,
  summarizePromptOffline,
} from './offline-provider.js';
export {
  DEFAULT_ANTHROPIC_MODEL,
  DEFAULT_EMBEDDING_MODEL,
  DEFAULT_MAX_RETRIES,
  DEFAULT_OPENAI_BASE_URL,
  DEFAULT_OPENAI_MODEL,
  DEFAULT_TIMEOUT_MS,
  createAnthropicProvider,
  createOpenAiProvider,
} from './sdk-provider.js';
export { withFallback, type WithFallbackOptions } from './with-fallback.js';

export interface AiConfig {
  openaiApiKey?: string | undefined;
  /** OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 for Ollama. */
  openaiBaseUrl?: string | undefined;
  anthropicApiKey?: string | undefined;
  /** Chat model for whichever provider is chosen. */
  model?: string | undefined;
  /** OpenAI(-compatible) embedding model; unused for Anthropic and offline. */
  embeddingModel?: string | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
}

/**
 * Picks the provider from the keys present: OpenAI (or a compatible server)
 * first, then Anthropic, else the offline provider, so RetailOps always runs.
 */
export function createAiProvider(config: AiConfig = {}): AiProvider {
  const settings = {
    timeoutMs: validTimeoutMs(config.timeoutMs),
    maxRetries: validMaxRetries(config.maxRetries),
  };
  if (config.openaiApiKey) {
    return createOpenAiProvider({
      apiKey: config.openaiApiKey,
      baseUrl: config.openaiBaseUrl,
      model: config.model,
      embeddingModel: config.embeddingModel,
      ...settings,
    });
  }
  if (config.anthropicApiKey) {
    return createAnthropicProvider({ apiKey: config.anthropicApiKey, model: config.model, ...settings });
  }
  return createOfflineProvider();
}

type Env = Record<string, string | undefined>;

/**
 * Reads OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY, AI_MODEL,
 * AI_EMBEDDING_MODEL, AI_TIMEOUT_MS and AI_MAX_RETRIES. Blank values count as
 * unset, because `.env` templates often ship `OPENAI_API_KEY=`.
 */
export function aiConfigFromEnv(env: Env = process.env): AiConfig {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  return {
    openaiApiKey: read('OPENAI_API_KEY'),
    openaiBaseUrl: read('OPENAI_BASE_URL'),
    anthropicApiKey: read('ANTHROPIC_API_KEY'),
    model: read('AI_MODEL'),
    embeddingModel: read('AI_EMBEDDING_MODEL'),
    timeoutMs: parseNumberSetting('AI_TIMEOUT_MS', read('AI_TIMEOUT_MS')),
    maxRetries: parseNumberSetting('AI_MAX_RETRIES', read('AI_MAX_RETRIES')),
  };
}

function parseNumberSetting(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`${name} must be a number, got "${value}".`);
  return parsed;
}

function validTimeoutMs(timeoutMs: number | undefined): number | undefined {
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    throw new Error(`AI timeout (AI_TIMEOUT_MS) must be a positive whole number of milliseconds, got ${timeoutMs}.`);
  }
  return timeoutMs;
}

function validMaxRetries(maxRetries: number | undefined): number | undefined {
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    throw new Error(`AI retries (AI_MAX_RETRIES) must be a whole number of at least 0, got ${maxRetries}.`);
  }
  return maxRetries;
}
