import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import {
  APICallError,
  EmptyResponseBodyError,
  InvalidResponseDataError,
  JSONParseError,
  LoadAPIKeyError,
  NoContentGeneratedError,
  RetryError,
  TypeValidationError,
  embedMany,
  generateText,
  type EmbeddingModel,
  type LanguageModel,
} from 'ai';
import { createOfflineProvider } from './offline-provider.js';
import {
  AiProviderError,
  type AiErrorCode,
  type AiProvider,
  type AiProviderName,
  type Embeddings,
  type GenerateTextInput,
  type GeneratedText,
} from './provider.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
/** One retry rides out a transient 5xx without making a user wait through several backoffs. */
export const DEFAULT_MAX_RETRIES = 1;
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
export const DEFAULT_ANTHROPIC_MODEL = 'claude-3-5-haiku-latest';
export const DEFAULT_EMBEDDING_MODEL = 'text-embedding-3-small';
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';

const ANTHROPIC_EMBEDDINGS_NOTE = 'Anthropic offers no embeddings API, so these vectors come from the offline feature-hashing embedder.';
/** Upstream error bodies can be whole HTML pages; keep messages readable. */
const MAX_UPSTREAM_DETAIL_CHARS = 300;
const MAX_BODY_EXCERPT_CHARS = 120;
/**
 * Keys shorter than this are placeholders (Ollama accepts any key); redacting
 * them would garble ordinary words in messages without protecting a secret.
 */
const MIN_REDACTABLE_KEY_LENGTH = 4;

export interface SdkProviderSettings {
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
}

export interface OpenAiProviderOptions extends SdkProviderSettings {
  apiKey: string;
  /** Any OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 for Ollama. */
  baseUrl?: string | undefined;
  model?: string | undefined;
  embeddingModel?: string | undefined;
}

export interface AnthropicProviderOptions extends SdkProviderSettings {
  apiKey: string;
  baseUrl?: string | undefined;
  model?: string | undefined;
}

/** Where requests go and which settings the operator would change to fix a failure. */
interface Endpoint {
  providerName: AiProviderName;
  baseUrl: string;
  apiKey: string;
  apiKeyEnvVar: string;
  baseUrlEnvVar: string;
}

export function createOpenAiProvider(options: OpenAiProviderOptions): AiProvider {
  // Passed explicitly because the SDK would otherwise read OPENAI_BASE_URL from
  // process.env behind the caller's back, and the config object must be the only source.
  const baseUrl = options.baseUrl ?? DEFAULT_OPENAI_BASE_URL;
  const openai = createOpenAI({ apiKey: options.apiKey, baseURL: baseUrl });
  const model = options.model ?? DEFAULT_OPENAI_MODEL;
  const embeddingModel = options.embeddingModel ?? DEFAULT_EMBEDDING_MODEL;
  return new SdkProvider({
    endpoint: {
      providerName: 'openai',
      baseUrl,
      apiKey: options.apiKey,
      apiKeyEnvVar: 'OPENAI_API_KEY',
      baseUrlEnvVar: 'OPENAI_BASE_URL',
    },
    model,
    // chat() rather than the default Responses API: OpenAI-compatible servers
    // (Ollama, vLLM, LM Studio) implement /chat/completions only.
    languageModel: openai.chat(model),
    embedding: { modelId: embeddingModel, model: openai.embedding(embeddingModel) },
    settings: options,
  });
}

export function createAnthropicProvider(options: AnthropicProviderOptions): AiProvider {
  const baseUrl = options.baseUrl ?? DEFAULT_ANTHROPIC_BASE_URL;
  const anthropic = createAnthropic({ apiKey: options.apiKey, baseURL: baseUrl });
  const model = options.model ?? DEFAULT_ANTHROPIC_MODEL;
  return new SdkProvider({
    endpoint: {
      providerName: 'anthropic',
      baseUrl,
      apiKey: options.apiKey,
      apiKeyEnvVar: 'ANTHROPIC_API_KEY',
      baseUrlEnvVar: 'ANTHROPIC_BASE_URL',
    },
    model,
    languageModel: anthropic.languageModel(model),
    embedding: null,
    settings: options,
  });
}

interface SdkProviderParts {
  endpoint: Endpoint;
  model: string;
  languageModel: LanguageModel;
  /** null when the provider has no embeddings API. */
  embedding: { modelId: string; model: EmbeddingModel } | null;
  settings: SdkProviderSettings;
}

interface CallContext {
  /** What the operator would recognise, e.g. '"coaching.prep" request'. */
  what: string;
  modelId: string;
  modelEnvVar: string;
  timeoutMs: number;
  timeoutSignal: AbortSignal;
}

class SdkProvider implements AiProvider {
  readonly name: AiProviderName;
  readonly model: string;
  private readonly offline = createOfflineProvider();

  constructor(private readonly parts: SdkProviderParts) {
    this.name = parts.endpoint.providerName;
    this.model = parts.model;
  }

  async generateText(input: GenerateTextInput): Promise<GeneratedText> {
    const call = this.callContext({
      what: input.purpose ? `"${input.purpose}" request` : 'text generation request',
      modelId: this.model,
      modelEnvVar: 'AI_MODEL',
      timeoutMs: input.timeoutMs,
    });
    const startedAt = performance.now();
    try {
      const result = await generateText({
        model: this.parts.languageModel,
        prompt: input.prompt,
        // Spread only what is set: the SDK's option types reject explicit undefined under exactOptionalPropertyTypes.
        ...(input.system !== undefined && { system: input.system }),
        ...(input.maxTokens !== undefined && { maxOutputTokens: input.maxTokens }),
        ...(input.temperature !== undefined && { temperature: input.temperature }),
        maxRetries: this.maxRetries,
        abortSignal: call.timeoutSignal,
      });
      const text = result.text.trim();
      if (text === '') {
        throw this.error(
          'AI_BAD_RESPONSE',
          `${this.describe(call)} returned an empty completion for the ${call.what} (finish reason: ${result.finishReason}). ` +
            'Try again; if it keeps happening, try another model via AI_MODEL.',
        );
      }
      return {
        text,
        provider: this.name,
        model: result.response.modelId || this.model,
        producedWithoutModel: false,
        usage: { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens },
        latencyMs: Math.round(performance.now() - startedAt),
      };
    } catch (error) {
      throw this.toAiProviderError(error, call);
    }
  }

  async embed(texts: string[]): Promise<Embeddings> {
    const embedding = this.parts.embedding;
    if (embedding === null) {
      return { ...(await this.offline.embed(texts)), fallbackReason: ANTHROPIC_EMBEDDINGS_NOTE };
    }
    if (texts.length === 0) {
      return { vectors: [], dimensions: 0, provider: this.name, model: embedding.modelId, producedWithoutModel: false };
    }
    const call = this.callContext({
      what: 'embeddings request',
      modelId: embedding.modelId,
      modelEnvVar: 'AI_EMBEDDING_MODEL',
      timeoutMs: undefined,
    });
    try {
      const result = await embedMany({
        model: embedding.model,
        values: texts,
        maxRetries: this.maxRetries,
        abortSignal: call.timeoutSignal,
      });
      const vectors = result.embeddings;
      const dimensions = vectors[0]?.length ?? 0;
      if (vectors.length !== texts.length || dimensions === 0 || vectors.some((v) => v.length !== dimensions)) {
        throw this.error(
          'AI_BAD_RESPONSE',
          `${this.describe(call)} returned unusable embeddings (${vectors.length} vectors for ${texts.length} texts, ` +
            `dimensions ${[...new Set(vectors.map((v) => v.length))].join('/') || 'none'}). ` +
            'Check that AI_EMBEDDING_MODEL names an embedding model the server supports.',
        );
      }
      return { vectors, dimensions, provider: this.name, model: embedding.modelId, producedWithoutModel: false };
    } catch (error) {
      throw this.toAiProviderError(error, call);
    }
  }

  private get maxRetries(): number {
    return this.parts.settings.maxRetries ?? DEFAULT_MAX_RETRIES;
  }

  private callContext(options: Omit<CallContext, 'timeoutMs' | 'timeoutSignal'> & { timeoutMs: number | undefined }): CallContext {
    const timeoutMs = options.timeoutMs ?? this.parts.settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return { ...options, timeoutMs, timeoutSignal: AbortSignal.timeout(timeoutMs) };
  }

  private describe(call: CallContext): string {
    return `${this.name} (model "${call.modelId}" at ${displayUrl(this.parts.endpoint.baseUrl)})`;
  }

  private error(code: AiErrorCode, message: string, httpStatus?: number): AiProviderError {
    return new AiProviderError({ code, message: this.redact(message), provider: this.name, httpStatus });
  }

  private redact(text: string): string {
    const key = this.parts.endpoint.apiKey;
    return key.length >= MIN_REDACTABLE_KEY_LENGTH ? text.split(key).join('[redacted]') : text;
  }

  /**
   * Maps whatever the AI SDK threw onto the four error codes. In ai 6:
   * - our AbortSignal firing surfaces as a DOMException ('TimeoutError' from
   *   fetch, 'AbortError' if it fires during the retry backoff), never wrapped,
   *   so the signal's own state is the reliable timeout test;
   * - retried failures arrive wrapped in a RetryError whose lastError is the
   *   real cause;
   * - HTTP errors and unparseable 2xx bodies are both APICallError, told apart
   *   by statusCode (a 2xx status means the body was the problem);
   * - connection failures are APICallError without a statusCode.
   */
  private toAiProviderError(error: unknown, call: CallContext): AiProviderError {
    if (error instanceof AiProviderError) return error;
    const { endpoint } = this.parts;
    const target = this.describe(call);

    if (call.timeoutSignal.aborted) {
      return this.error(
        'AI_TIMEOUT',
        `${target} did not answer the ${call.what} within ${call.timeoutMs} ms. ` +
          'The service may be overloaded or the model slow; try again, or raise AI_TIMEOUT_MS.',
      );
    }

    const attempts = RetryError.isInstance(error) ? error.errors.length : 1;
    const cause = RetryError.isInstance(error) ? error.lastError : error;
    const afterAttempts = attempts > 1 ? ` after ${attempts} attempts` : '';
    const detail = upstreamDetail(cause);

    if (APICallError.isInstance(cause)) {
      const status = cause.statusCode;
      const url = displayUrl(cause.url || endpoint.baseUrl);
      if (status === undefined) {
        return this.error(
          'AI_UNAVAILABLE',
          `Could not reach ${this.name} at ${url} for the ${call.what}${afterAttempts} (${detail}). ` +
            `Check that the server is running and ${endpoint.baseUrlEnvVar} is correct, or unset the API keys to run offline.`,
        );
      }
      if (status === 401 || status === 403) {
        return this.error(
          'AI_AUTH',
          `${target} rejected the credentials for the ${call.what} (HTTP ${status}: ${detail}). ` +
            `Check ${endpoint.apiKeyEnvVar}: the key may be wrong, revoked, or lack access to model "${call.modelId}".`,
          status,
        );
      }
      if (status >= 200 && status < 300) {
        return this.error(
          'AI_BAD_RESPONSE',
          `${target} sent a reply to the ${call.what} that is not a valid ${this.name} API response (${describeMalformedBody(cause)}). ` +
            `If ${endpoint.baseUrlEnvVar} points at an OpenAI-compatible server, check that it really implements this API; otherwise try again.`,
          status,
        );
      }
      if (status === 404) {
        return this.error(
          'AI_UNAVAILABLE',
          `${target} answered HTTP 404 to the ${call.what} at ${url} (${detail}). ` +
            `Check that the model exists (${call.modelEnvVar}) and that ${endpoint.baseUrlEnvVar} includes the API path, e.g. /v1.`,
          status,
        );
      }
      if (status === 429) {
        return this.error(
          'AI_UNAVAILABLE',
          `${target} is rate limiting or out of quota for the ${call.what}${afterAttempts} (HTTP 429: ${detail}). ` +
            'Wait and try again, or check the account plan and quota.',
          status,
        );
      }
      if (status >= 500 || status === 408) {
        return this.error(
          'AI_UNAVAILABLE',
          `${target} failed the ${call.what} with HTTP ${status}${afterAttempts} (${detail}). ` + 'The service is having problems; try again later.',
          status,
        );
      }
      return this.error(
        'AI_UNAVAILABLE',
        `${target} refused the ${call.what} with HTTP ${status} (${detail}). ` +
          `The request may be too long or use a setting model "${call.modelId}" does not support; check ${call.modelEnvVar}.`,
        status,
      );
    }

    if (LoadAPIKeyError.isInstance(cause)) {
      return this.error('AI_AUTH', `${target} has no API key for the ${call.what}. Set ${endpoint.apiKeyEnvVar}.`);
    }

    if (
      NoContentGeneratedError.isInstance(cause) ||
      InvalidResponseDataError.isInstance(cause) ||
      JSONParseError.isInstance(cause) ||
      TypeValidationError.isInstance(cause) ||
      EmptyResponseBodyError.isInstance(cause)
    ) {
      return this.error('AI_BAD_RESPONSE', `${target} sent an unusable reply to the ${call.what} (${detail}). Try again; if it persists, try another model.`);
    }

    return this.error(
      'AI_UNAVAILABLE',
      `${target} failed the ${call.what}${afterAttempts} (${detail}). Try again; if it persists, check the ${this.name} configuration.`,
    );
  }
}

/** The SDK only says "Invalid JSON response"; say whether the body was not JSON or JSON of the wrong shape, and show its start. */
function describeMalformedBody(error: APICallError): string {
  const problem = JSONParseError.isInstance(error.cause)
    ? 'the body is not JSON'
    : TypeValidationError.isInstance(error.cause)
      ? 'the JSON lacks fields the API requires'
      : upstreamDetail(error);
  const body = (error.responseBody ?? '').replace(/\s+/g, ' ').trim();
  if (body === '') return `${problem}; the body was empty`;
  const excerpt = body.length > MAX_BODY_EXCERPT_CHARS ? `${body.slice(0, MAX_BODY_EXCERPT_CHARS)}…` : body;
  return `${problem}; it began: ${excerpt}`;
}

function upstreamDetail(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const singleLine = raw.replace(/\s+/g, ' ').trim() || 'no details';
  return singleLine.length > MAX_UPSTREAM_DETAIL_CHARS ? `${singleLine.slice(0, MAX_UPSTREAM_DETAIL_CHARS)}…` : singleLine;
}

/** Base URLs may carry credentials (https://user:pass@host, ?key=...); never echo them. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '';
      parsed.password = '';
    }
    parsed.search = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
